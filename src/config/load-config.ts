import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { parse as parseYaml } from 'yaml';
import type { z } from 'zod';
import type { AppConfig } from './app-config.js';
import { ConfigError } from './config-error.js';
import { type EhrConfig, envSchema, fileSchema, type FileConfig } from './config.schema.js';
import { demoEhr, type DemoEhrKey, type DemoResource, demoResources, demoUsers, ensureDemoEhrKey } from './demo.js';
import { CDS_HOOKS_SANDBOX_EHR } from './sandbox-profile.js';

export interface LoadedConfig {
  config: AppConfig;
  /** Loud start-up warnings (auth off, sandbox profile, demo mode). */
  warnings: string[];
}

function problems(error: z.ZodError): string[] {
  return error.issues.map((i) => `${i.path.length ? i.path.join('.') : '(root)'}: ${i.message}`);
}

function readFile(path: string): unknown {
  const text = readFileSync(path, 'utf8');
  try {
    return path.endsWith('.json') ? JSON.parse(text) : parseYaml(text);
  } catch (e) {
    throw new ConfigError(path, [`(file): not valid ${path.endsWith('.json') ? 'JSON' : 'YAML'}: ${(e as Error).message}`]);
  }
}

/** The EHRs each opt-in profile trusts. */
const PROFILE_EHRS: Record<FileConfig['profiles'][number], EhrConfig> = { 'cds-hooks-sandbox': CDS_HOOKS_SANDBOX_EHR };

/**
 * An `ehrs` entry for the issuer of an enabled profile extends that profile's entry (to add
 * `fhirServers`, `tenants` or a `clientId` to the sandbox, say) instead of clashing with it: the
 * entry's keys win, the profile fills in the rest. Merged before validation, so a problem in the
 * merged entry is named at the file entry's own path. Returns the profiles whose entry was merged.
 */
export function mergeProfileEhrs(raw: unknown): { file: unknown; merged: Set<string> } {
  const merged = new Set<string>();
  if (typeof raw !== 'object' || raw === null) return { file: raw, merged };
  const { profiles, ehrs } = raw as { profiles?: unknown; ehrs?: unknown };
  if (!Array.isArray(profiles) || !Array.isArray(ehrs)) return { file: raw, merged };
  const enabled = Object.entries(PROFILE_EHRS).filter(([name]) => profiles.includes(name));
  const extended = ehrs.map((entry: unknown) => {
    const issuer = typeof entry === 'object' && entry !== null ? (entry as { issuer?: unknown }).issuer : undefined;
    const profile = enabled.find(([, ehr]) => ehr.issuer === issuer);
    if (!profile) return entry;
    merged.add(profile[0]);
    return { ...structuredClone(profile[1]), ...(entry as object) };
  });
  return { file: { ...raw, ehrs: extended }, merged };
}

function duplicates(values: string[]): string[] {
  return [...new Set(values.filter((v, i) => values.indexOf(v) !== i))];
}

/**
 * Builds the one AppConfig from the environment and the config file (`HOOKWARDEN_CONFIG`, else
 * `./hookwarden.yaml` if present, else the built-in demo configuration). Throws ConfigError naming
 * every bad key; never returns a partially valid configuration.
 */
export function loadConfig(env: NodeJS.ProcessEnv = process.env, cwd = process.cwd()): LoadedConfig {
  const envResult = envSchema.safeParse(env);
  if (!envResult.success) throw new ConfigError('environment', problems(envResult.error));
  const e = envResult.data;

  const candidate = e.HOOKWARDEN_CONFIG ?? (existsSync(resolve(cwd, 'hookwarden.yaml')) ? 'hookwarden.yaml' : undefined);
  const configPath = candidate ? resolve(cwd, candidate) : undefined;
  if (configPath && !existsSync(configPath)) throw new ConfigError('HOOKWARDEN_CONFIG', [`${configPath}: file not found`]);

  const { file: raw, merged } = mergeProfileEhrs(configPath ? (readFile(configPath) ?? {}) : {});
  const fileResult = fileSchema.safeParse(raw);
  if (!fileResult.success) throw new ConfigError(configPath ?? 'demo configuration', problems(fileResult.error));
  const file: FileConfig = fileResult.data;

  // One PGlite data directory belongs to one process: several would accept a jti twice and corrupt its files.
  if (e.WORKERS > 1 && !e.DATABASE_URL) {
    throw new ConfigError('environment', [`WORKERS: ${e.WORKERS} processes need DATABASE_URL (PostgreSQL); the embedded PGlite database serves one process only`]);
  }

  const publicUrl = (e.PUBLIC_URL ?? `http://localhost:${e.PORT}`).replace(/\/+$/, '');
  const dataDir = resolve(cwd, e.DATA_DIR);
  const warnings: string[] = [];

  const ehrs = [...file.ehrs];
  let users = file.users;
  let seed: DemoResource[] | undefined;
  let demoEhrKey: DemoEhrKey | undefined;
  if (!configPath) {
    demoEhrKey = ensureDemoEhrKey(dataDir);
    ehrs.push(demoEhr(demoEhrKey));
    users = demoUsers();
    seed = demoResources();
    warnings.push('No configuration file: running the demo configuration (demo EHR key in DATA_DIR, demo users with password "demo", demo patients).');
  }
  if (file.profiles.includes('cds-hooks-sandbox')) {
    if (!merged.has('cds-hooks-sandbox')) ehrs.push(CDS_HOOKS_SANDBOX_EHR);
    warnings.push(
      'Profile cds-hooks-sandbox: trusting https://sandbox.cds-hooks.org, whose PRIVATE KEY IS PUBLIC. Anyone can call this server as that EHR. Development only.',
    );
  }
  if (!file.auth.required) {
    warnings.push('auth.required is false: CDS clients are NOT authenticated. Local development only; never expose this server.');
  }

  const clash = [
    ...duplicates(ehrs.map((x) => x.issuer)).map((i) => `ehrs: issuer ${i} listed twice`),
    ...duplicates(file.smartClients.map((x) => x.clientId)).map((i) => `smartClients: clientId ${i} listed twice`),
    ...duplicates(users.map((x) => x.username)).map((i) => `users: username ${i} listed twice`),
    ...duplicates(file.identityProviders.map((x) => x.id)).map((i) => `identityProviders: id ${i} listed twice`),
    ...users
      .filter((u) => u.upstream && !file.identityProviders.some((p) => p.id === u.upstream!.provider))
      .map((u) => `users: ${u.username}.upstream.provider ${u.upstream!.provider} is not in identityProviders`),
  ];
  if (clash.length) throw new ConfigError(configPath ?? 'demo configuration', clash);

  return {
    config: {
      ...file,
      ehrs,
      users,
      ...(seed ? { demoResources: seed } : {}),
      ...(demoEhrKey ? { demoEhrKey } : {}),
      port: e.PORT,
      publicUrl,
      databaseUrl: e.DATABASE_URL,
      dataDir,
      workers: e.WORKERS,
      logLevel: e.LOG_LEVEL,
      configPath,
    },
    warnings,
  };
}

import { randomUUID } from 'node:crypto';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { importJWK, SignJWT } from 'jose';
import type { CdsResponse, CdsRequest } from '../../src/cds/cds-types.js';
import { DEMO_EHR_KEY_FILE, type DemoEhrKey } from '../../src/config/demo.js';

/**
 * A small CDS client that behaves on the wire like the CDS Hooks sandbox (cds-hooks.md §4): an ES384
 * JWT per call with `aud` = the exact URL called, a fresh `jti`, `exp` = `iat` + 300 s.
 */

/** Where the medication-safety scenarios (CDS request bodies) live. */
export const SCENARIO_DIR = 'hooks/medication-safety/fixtures';

/** Who is signed in at the simulated EHR: the demo configuration's clinician (password `demo`). */
export const DEMO_CLINICIAN = { username: 'dr.demo', password: 'demo', fhirUser: 'Practitioner/demo-practitioner' } as const;

/** A scenario as the simulated EHR sends it: the hook's `userId` is its signed-in clinician, whom card links are bound to. */
export function asClinician(body: CdsRequest, fhirUser: string): CdsRequest {
  return { ...body, context: { ...body.context, userId: fhirUser } };
}

/** Reads the demo EHR key that demo mode generated in DATA_DIR. */
export function readDemoEhrKey(dataDir: string): DemoEhrKey {
  const file = join(dataDir, DEMO_EHR_KEY_FILE);
  if (!existsSync(file)) {
    throw new Error(`${file} not found: start Hookwarden once in demo mode (no config file) with the same DATA_DIR`);
  }
  return JSON.parse(readFileSync(file, 'utf8')) as DemoEhrKey;
}

/** A CDS Hooks client JWT (§Trusting CDS Clients) signed with the demo EHR key for `aud`. */
export async function signClientJwt(key: DemoEhrKey, aud: string, now = Date.now()): Promise<string> {
  const iat = Math.floor(now / 1000);
  return new SignJWT({ iss: key.issuer, aud, iat, exp: iat + 300, jti: randomUUID() })
    .setProtectedHeader({ alg: 'ES384', typ: 'JWT', kid: key.privateJwk.kid })
    .sign(await importJWK(key.privateJwk, 'ES384'));
}

/** Every `*.json` under `dir`, by scenario name (file name without `.json`). */
export function listScenarios(dir = SCENARIO_DIR): Map<string, string> {
  const found = new Map<string, string>();
  if (!existsSync(dir)) return found;
  for (const entry of readdirSync(dir, { withFileTypes: true, recursive: true })) {
    if (entry.isFile() && entry.name.endsWith('.json')) found.set(basename(entry.name, '.json'), join(entry.parentPath, entry.name));
  }
  return new Map([...found].sort(([a], [b]) => a.localeCompare(b)));
}

export interface HttpResult {
  status: number;
  body: unknown;
}

/** Calls `base + path` as the demo EHR would: Bearer JWT with `aud` = that URL. */
export async function callAsEhr(key: DemoEhrKey, base: string, path: string, body?: unknown): Promise<HttpResult> {
  const url = `${base.replace(/\/+$/, '')}${path}`;
  const res = await fetch(url, {
    method: body === undefined ? 'GET' : 'POST',
    headers: {
      authorization: `Bearer ${await signClientJwt(key, url)}`,
      accept: 'application/json',
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
    },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  let parsed: unknown = text;
  try {
    parsed = JSON.parse(text);
  } catch {
    // Not JSON: shown as text.
  }
  return { status: res.status, body: parsed };
}

interface DiscoveredService {
  id: string;
  hook: string;
  title?: string;
}

/** The service for a request body: `serviceId` if given, else the first discovered service on its hook. */
export function pickService(services: DiscoveredService[], request: Pick<CdsRequest, 'hook'>, serviceId?: string): DiscoveredService | undefined {
  return serviceId ? services.find((s) => s.id === serviceId) : services.find((s) => s.hook === request.hook);
}

/** Discovery as readable lines. */
export function renderDiscovery(body: { services?: DiscoveredService[] }): string {
  const services = body.services ?? [];
  return services.length ? services.map((s) => `${s.id}  (hook ${s.hook})${s.title ? `  ${s.title}` : ''}`).join('\n') : '(no services)';
}

const MARK: Record<string, string> = { critical: '!!', warning: '! ', info: 'i ' };

/** Cards as a clinician would skim them: indicator, summary, source, detail, suggestions, links. */
export function renderCards(response: Partial<CdsResponse>): string {
  const cards = response.cards ?? [];
  if (!cards.length) return '(no cards)';
  return cards
    .map((card, i) => {
      const lines = [`${MARK[card.indicator] ?? '  '} ${i + 1}. [${card.indicator.toUpperCase()}] ${card.summary}`, `      source: ${card.source?.label ?? '-'}`];
      if (card.detail) lines.push(...card.detail.split('\n').map((l) => `      ${l}`));
      for (const s of card.suggestions ?? []) lines.push(`      suggestion: ${s.label}`);
      for (const l of card.links ?? []) lines.push(`      link (${l.type}): ${l.label} -> ${l.url}`);
      for (const r of card.overrideReasons ?? []) lines.push(`      override reason: ${r.display ?? r.code}`);
      return lines.join('\n');
    })
    .join('\n\n');
}

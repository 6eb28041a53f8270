import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import type { AppConfig } from './app-config.js';
import { ConfigError } from './config-error.js';
import { loadConfig } from './load-config.js';
import { trustReport } from './trust-report.js';

export interface CheckResult {
  /** 0 valid, 1 invalid, 2 nothing to check. */
  code: number;
  lines: string[];
}

/**
 * `npm run check-config [-- <file>]`: validates a configuration file exactly as the start would, and
 * prints what it would trust, without opening the database or a port. `complete` adds what the
 * bootstrap adds (the apps the services ship), so the report lists every client the server would know.
 */
export function checkConfig(args: string[], env: NodeJS.ProcessEnv, cwd: string, complete: (c: AppConfig) => AppConfig = (c) => c): CheckResult {
  const file = args[0] ?? env.HOOKWARDEN_CONFIG ?? (existsSync(resolve(cwd, 'hookwarden.yaml')) ? 'hookwarden.yaml' : undefined);
  // Without a file the demo configuration runs; loading it would generate a demo key, which a check must not do.
  if (file === undefined) {
    return { code: 2, lines: ['No configuration file given (argument, HOOKWARDEN_CONFIG or ./hookwarden.yaml): the start would run the demo configuration.'] };
  }
  let loaded;
  let completed;
  try {
    loaded = loadConfig({ ...env, HOOKWARDEN_CONFIG: file }, cwd);
    completed = complete(loaded.config);
  } catch (e) {
    if (e instanceof ConfigError) return { code: 1, lines: [e.message] };
    throw e;
  }
  const report = trustReport(completed);
  return {
    code: report.problems.length ? 1 : 0,
    lines: [
      `${loaded.config.configPath}: ${report.problems.length ? 'INVALID' : 'valid'}`,
      ...report.problems.map((p) => `  - ${p}`),
      ...loaded.warnings.map((w) => `WARNING: ${w}`),
      ...report.lines,
    ],
  };
}

import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { freePort, ROOT, startNode, type Started, waitForPort } from '../bench/lib/processes.js';

const RUN_TS = fileURLToPath(new URL('./run-ts.mjs', import.meta.url));
const MAIN = join(ROOT, 'src/main.ts');

/** `src/main.ts` in a child process, as an operator starts it: env and config file only. */
export interface HookwardenProcess {
  /** Its base URL, also its PUBLIC_URL. */
  base: string;
  started: Started;
}

/** Writes `config` as the child's HOOKWARDEN_CONFIG file in `dir`. */
export function writeConfig(dir: string, config: Record<string, unknown>): string {
  const file = join(dir, 'hookwarden.json');
  writeFileSync(file, JSON.stringify(config, null, 2));
  return file;
}

/** Starts main.ts with `env` and waits until it listens; its output goes to `logFile`. */
export async function startHookwarden(name: string, env: Record<string, string | undefined>, logFile: string): Promise<HookwardenProcess> {
  const port = await freePort();
  const base = `http://127.0.0.1:${port}`;
  const started = startNode(name, [RUN_TS, MAIN], { env: { PORT: String(port), PUBLIC_URL: base, ...env }, logFile });
  await waitForPort(started, port);
  return { base, started };
}

/** Starts main.ts with `env` and resolves with how it ended and what it printed (for a start that must fail). */
export async function runHookwardenToExit(name: string, env: Record<string, string | undefined>, logFile: string): Promise<{ exit: number | string; output: string }> {
  const started = startNode(name, [RUN_TS, MAIN], { env: { PORT: String(await freePort()), ...env }, logFile });
  const exit = await Promise.race([started.exited, new Promise<string>((r) => setTimeout(r, 60_000, 'still running'))]);
  await started.stop();
  return { exit, output: started.log() };
}

import { type LoadSpec, runLoad } from '../lib/load.js';
import type { HttpRow } from '../lib/rows.js';
import type { Settings } from './settings.js';

export type RowHead = Omit<HttpRow, 'kind' | 'connections' | 'result' | 'ratio'>;
export type Target = Omit<LoadSpec, 'connections' | 'warmupSeconds' | 'seconds'>;

/** Progress goes to stderr, so stdout carries only the tables. */
export function progress(message: string): void {
  console.error(`bench: ${message}`);
}

/**
 * Measures one endpoint at each connection count of the run. `target` is asked anew for every
 * window, so short-lived credentials (a backend access token) are fresh for each.
 */
export async function measure(settings: Settings, head: RowHead, target: () => Target | Promise<Target>): Promise<HttpRow[]> {
  const rows: HttpRow[] = [];
  for (const connections of settings.connections) {
    progress(`${head.label}${head.database ? ` (${head.database})` : ''}, ${connections} connections`);
    const result = await runLoad({ ...(await target()), connections, warmupSeconds: settings.warmupSeconds, seconds: settings.seconds });
    rows.push({ kind: 'http', ...head, connections, result });
  }
  return rows;
}

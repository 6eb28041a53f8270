import { join } from 'node:path';
import { tempDir } from '../lib/cleanup.js';
import type { BenchKey } from '../lib/keys.js';
import { freePort, SERVER_CORE, startNode, tsEntry, waitForPort } from '../lib/processes.js';

export interface FairBare {
  base: string;
  stop(): Promise<void>;
}

/** The fair bare endpoint (fair-bare-app.ts) on the server core, verifying with the public halves of `keys`. */
export async function startFairBare(keys: BenchKey[]): Promise<FairBare> {
  const port = await freePort();
  const { dir, release } = tempDir('bare');
  const server = startNode('fair bare endpoint', tsEntry('../servers/fair-bare-app.ts'), {
    core: SERVER_CORE,
    logFile: join(dir, 'server.log'),
    env: { PORT: String(port), NODE_ENV: 'production', BENCH_VERIFY_KEYS: JSON.stringify(Object.fromEntries(keys.map((k) => [k.alg, k.publicJwk]))) },
  });
  await waitForPort(server, port);
  return { base: `http://127.0.0.1:${port}`, stop: () => server.stop().then(release) };
}

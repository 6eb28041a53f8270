import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { tempDir } from '../lib/cleanup.js';
import { type BenchKey, makeKey } from '../lib/keys.js';
import { freePort, SERVER_CORE, startNode, waitForPort } from '../lib/processes.js';

/** An EHR the bench config trusts, with its private key. */
export interface BenchEhr {
  issuer: string;
  key: BenchKey;
}

/** The callers the bench config knows: one EHR per algorithm, a backend client for /fhir and one for the analytics API. */
export interface BenchCallers {
  es384: BenchEhr;
  rs384: BenchEhr;
  backend: { clientId: string; scope: string; key: BenchKey };
  analytics: { clientId: string; scope: string; key: BenchKey };
}

export function makeCallers(): BenchCallers {
  return {
    es384: { issuer: 'https://ehr-es384.bench.test', key: makeKey('ES384') },
    rs384: { issuer: 'https://ehr-rs384.bench.test', key: makeKey('RS384') },
    backend: { clientId: 'bench-backend', scope: 'system/Observation.rs', key: makeKey('ES384') },
    analytics: { clientId: 'bench-analytics', scope: 'analytics.read', key: makeKey('ES384') },
  };
}

/** An `ehrs[]` entry: the EHR's key pinned, and only its one algorithm allowed. */
function ehr({ issuer, key }: BenchEhr): Record<string, unknown> {
  return { issuer, jwks: { keys: [key.publicJwk] }, algorithms: [key.alg] };
}

/** The bench configuration file (with `database.pglite` when the placement names it); the bundled app is added by loadConfig as for any operator. */
function benchConfig(callers: BenchCallers, placement: Placement): Record<string, unknown> {
  return {
    ...(placement.pglite ? { database: { pglite: placement.pglite } } : {}),
    ehrs: [ehr(callers.es384), ehr(callers.rs384)],
    smartClients: [
      // SMART backend-services.md: client_credentials with private_key_jwt and system/ scopes, served from the demo data.
      { clientId: callers.backend.clientId, name: 'Bench backend service', scope: callers.backend.scope, auth: 'private_key_jwt', jwks: { keys: [callers.backend.key.publicJwk] } },
      // DESIGN.md §Analytics contract: a BI tool reads the analytics API by client_credentials.
      { clientId: callers.analytics.clientId, name: 'Bench BI tool', scope: callers.analytics.scope, auth: 'private_key_jwt', jwks: { keys: [callers.analytics.key.publicJwk] } },
    ],
  };
}

export interface Hookwarden {
  /** Base URL, also its PUBLIC_URL (every `aud` is computed from it). */
  base: string;
  /** The app's process (under WORKERS=N the primary, whose children are the workers). */
  pid: number;
  stop(): Promise<void>;
}

/** Where the app runs: its cores (a taskset list; default the server core), its WORKERS, and where embedded PGlite runs (`database.pglite`). */
export interface Placement {
  cores?: string;
  workers?: number;
  pglite?: 'worker' | 'inline';
}

/**
 * The built app as an operator runs it (`node dist/src/main.js`, after `nest build`), pinned to the
 * server core, with the bench config in a temp dir: PGlite in that dir, or `databaseUrl`.
 * `prepare` gets the data dir before the app starts (to seed a database it would lock).
 */
export async function startHookwarden(
  callers: BenchCallers,
  databaseUrl?: string,
  prepare?: (dataDir: string) => Promise<void>,
  placement: Placement = {},
): Promise<Hookwarden> {
  const { dir, release } = tempDir('app');
  const configFile = join(dir, 'hookwarden.json');
  writeFileSync(configFile, JSON.stringify(benchConfig(callers, placement), null, 2));
  await prepare?.(join(dir, 'data'));
  const port = await freePort();
  const base = `http://127.0.0.1:${port}`;
  const server = startNode('hookwarden', ['dist/src/main.js'], {
    core: placement.cores ?? SERVER_CORE,
    logFile: join(dir, 'server.log'),
    env: {
      PORT: String(port),
      PUBLIC_URL: base,
      HOOKWARDEN_CONFIG: configFile,
      DATA_DIR: join(dir, 'data'),
      DATABASE_URL: databaseUrl,
      NODE_ENV: 'production',
      WORKERS: placement.workers === undefined ? undefined : String(placement.workers),
    },
  });
  await waitForPort(server, port);
  return { base, pid: server.child.pid as number, stop: () => server.stop().then(release) };
}

import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import pg from 'pg';
import type { TestProject } from 'vitest/node';
import startTestPostgres from '../../global-setup.js';
import { track } from './cleanup.js';
import { childrenOf } from './proc.js';
import { PINNED, SERVER_CORE } from './processes.js';

/**
 * Pins the server and its running children to the server core, so a PostgreSQL row gives the app
 * and its database one core together, as PGlite has inside the app's process. Backends forked later
 * inherit the postmaster's affinity.
 */
async function pinPostgres(url: string): Promise<boolean> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const { rows } = await client.query<{ data_directory: string }>('SHOW data_directory');
    const postmaster = Number(readFileSync(join(rows[0].data_directory, 'postmaster.pid'), 'utf8').split('\n')[0]);
    return [postmaster, ...childrenOf(postmaster)].every((pid) => spawnSync('taskset', ['-a', '-p', '-c', String(SERVER_CORE), String(pid)], { stdio: 'ignore' }).status === 0);
  } catch {
    return false;
  } finally {
    await client.end();
  }
}

export interface BenchPostgres {
  /** A fresh database on the server, for one suite. */
  url: string;
  /** Another fresh database on the same server (dropped on release), for a suite that needs its own. */
  freshDatabase(name: string): Promise<string>;
  /** Whether the server runs on the server core (false when HOOKWARDEN_TEST_PG_URL names another server). */
  pinned: boolean;
}

/**
 * A throwaway PostgreSQL on loopback started exactly as the e2e tests start theirs (test/global-setup.ts:
 * the machine's binaries, as the postgres user when root; HOOKWARDEN_TEST_PG_URL when set), or
 * undefined when the machine has no PostgreSQL. Stopped and removed on release and on exit.
 */
export async function startPostgres(): Promise<BenchPostgres | undefined> {
  let serverUrl = '';
  const project = { provide: (_key: string, value: string) => (serverUrl = value) } as unknown as TestProject;
  const teardown = await startTestPostgres(project);
  if (teardown) track(teardown, teardown);
  if (!serverUrl) return undefined;
  const url = await createDatabase(serverUrl, 'main');
  return {
    url,
    freshDatabase: (name) => createDatabase(serverUrl, name),
    pinned: PINNED && !process.env.HOOKWARDEN_TEST_PG_URL && (await pinPostgres(serverUrl)),
  };
}

/** Creates a database on the server, dropped on release and on exit; returns its URL. */
async function createDatabase(serverUrl: string, name: string): Promise<string> {
  const url = new URL(serverUrl);
  const database = `hookwarden_bench_${name}_${Date.now().toString(36)}`;
  const admin = new pg.Client({ connectionString: serverUrl });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${database}`);
  await admin.end();
  track(async () => {
    const client = new pg.Client({ connectionString: serverUrl });
    await client.connect();
    await client.query(`DROP DATABASE IF EXISTS ${database} WITH (FORCE)`);
    await client.end();
  });
  url.pathname = `/${database}`;
  return url.toString();
}

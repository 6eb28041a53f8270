import type { TestProject } from 'vitest/node';
import { findPgBin, startPostgresServer } from './helpers/postgres-server.js';

declare module 'vitest' {
  export interface ProvidedContext {
    pgUrl: string;
  }
}

/**
 * Starts a throwaway PostgreSQL server on loopback for the PostgreSQL suite, unless
 * HOOKWARDEN_TEST_PG_URL points at one already. As root, the server runs as the `postgres` user.
 */
export default async function setup(project: TestProject): Promise<(() => void) | undefined> {
  const given = process.env.HOOKWARDEN_TEST_PG_URL;
  if (given) {
    project.provide('pgUrl', given);
    return undefined;
  }
  const bin = findPgBin();
  if (!bin) {
    if (process.env.CI) throw new Error('PostgreSQL is not installed (.ci/run installs it with apt)');
    project.provide('pgUrl', '');
    return undefined;
  }
  const server = await startPostgresServer(bin);
  project.provide('pgUrl', server.url);
  return () => server.destroy();
}

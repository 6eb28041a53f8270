import pg from 'pg';
import { inject } from 'vitest';

/**
 * The PostgreSQL server test/global-setup.ts started on loopback (or HOOKWARDEN_TEST_PG_URL).
 * Empty only on a machine without PostgreSQL outside CI; in CI that is an error at setup.
 */
export const TEST_PG_URL = inject('pgUrl') || undefined;

/** Creates a fresh database on the test server and returns its URL, so suites never share state. */
export async function freshPostgresDatabase(name: string): Promise<string> {
  if (!TEST_PG_URL) throw new Error('HOOKWARDEN_TEST_PG_URL is not set');
  const admin = new pg.Client({ connectionString: TEST_PG_URL });
  await admin.connect();
  const db = `hw_${name}_${Date.now().toString(36)}_${Math.floor(Math.random() * 1e6)}`.toLowerCase().replace(/[^a-z0-9_]/g, '_');
  try {
    await admin.query(`CREATE DATABASE ${db}`);
  } finally {
    await admin.end();
  }
  const url = new URL(TEST_PG_URL);
  url.pathname = `/${db}`;
  return url.toString();
}

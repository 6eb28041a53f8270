import pg from 'pg';

/**
 * The PostgreSQL server .ci/run starts on loopback. Locally the suite needs HOOKWARDEN_TEST_PG_URL;
 * in CI its absence is an error, so the PostgreSQL suite can never silently not run.
 */
export const TEST_PG_URL = process.env.HOOKWARDEN_TEST_PG_URL;
if (process.env.CI && !TEST_PG_URL) throw new Error('CI must provide HOOKWARDEN_TEST_PG_URL (see .ci/run)');

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

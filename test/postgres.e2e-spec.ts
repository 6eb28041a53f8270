import { TemporarilyUnavailable } from '../src/http/app-error.js';
import { listMigrations, migrate } from '../src/store/migrate.js';
import { openDatabase } from '../src/store/open-database.js';
import { PostgresDatabase } from '../src/store/postgres-database.js';
import { freshPostgresDatabase, TEST_PG_URL } from './helpers/postgres.js';

// The same migrations and repositories as on PGlite, on a real PostgreSQL server (.ci/run starts one).
describe.runIf(TEST_PG_URL)('PostgreSQL store', () => {
  it('applies the same migrations as PGlite, once, even when two instances start together', async () => {
    const url = await freshPostgresDatabase('migrate');
    const [a, b] = await Promise.all([PostgresDatabase.open(url), PostgresDatabase.open(url)]);
    try {
      const applied = await Promise.all([migrate(a), migrate(b)]);
      expect([...applied[0], ...applied[1]].sort()).toEqual(listMigrations().map((m) => m.version));
      expect(await a.query('SELECT count(*)::int AS n FROM schema_migrations')).toEqual([{ n: listMigrations().length }]);
    } finally {
      await Promise.all([a.close(), b.close()]);
    }
  });

  it('applies the configured pool size, statement timeout and connection-acquire timeout', async () => {
    const db = await PostgresDatabase.open(await freshPostgresDatabase('pool'), { poolSize: 2, statementTimeoutMs: 300, connectTimeoutMs: 400 });
    try {
      expect(await db.query('SHOW statement_timeout')).toEqual([{ statement_timeout: '300ms' }]);
      // A statement past the bound, and a request that cannot get a connection in time, are 503s to every transport.
      await expect(db.query('SELECT pg_sleep(2)')).rejects.toBeInstanceOf(TemporarilyUnavailable);
      // Both pooled connections busy: the next request fails after connectTimeoutMs instead of queueing for ever.
      const releases: (() => void)[] = [];
      const hold = () => new Promise<void>((r) => releases.push(r));
      const holders = [db.transaction(hold), db.transaction(hold)];
      const started = Date.now();
      await expect(db.query('SELECT 1')).rejects.toBeInstanceOf(TemporarilyUnavailable);
      expect(Date.now() - started).toBeGreaterThanOrEqual(350);
      for (const release of releases) release();
      await Promise.all(holders);
      expect(await db.query('SELECT 1 AS one')).toEqual([{ one: 1 }]);
    } finally {
      await db.close();
    }
  });

  it('opens through DATABASE_URL exactly as the app does', async () => {
    const db = await openDatabase({ databaseUrl: await freshPostgresDatabase('open'), dataDir: '/nonexistent' });
    try {
      expect(db.kind).toBe('postgres');
      expect(await db.transaction(async (tx) => tx.query('SELECT 1 AS one'))).toEqual([{ one: 1 }]);
    } finally {
      await db.close();
    }
  });
});

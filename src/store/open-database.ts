import { join } from 'node:path';
import type { DatabaseConfig } from '../config/app-config.js';
import { DATABASE_DEFAULTS } from '../config/config.schema.js';
import type { Database } from './database.js';
import { migrate } from './migrate.js';
import { PgliteDatabase } from './pglite-database.js';
import { PgliteWorkerDatabase } from './pglite-worker-database.js';
import { PostgresDatabase } from './postgres-database.js';

/** PGlite in `dir` in a worker thread or on the event loop, as `database.pglite` says. */
function openPglite(dir: string, where: DatabaseConfig['pglite'] = DATABASE_DEFAULTS.pglite): Promise<Database> {
  return where === 'inline' ? PgliteDatabase.open(dir) : PgliteWorkerDatabase.open(dir);
}

/**
 * Opens PostgreSQL when a URL is given, else PGlite under `dataDir/db`, and applies migrations.
 * `database` (pool size, timeouts) applies to PostgreSQL only, but for `pglite`: PGlite is one
 * connection that cannot cancel a running statement (it accepts statement_timeout, yet pg_sleep outlasts it).
 */
export async function openDatabase(opts: { databaseUrl?: string; dataDir: string; database?: DatabaseConfig }): Promise<Database> {
  const db = opts.databaseUrl
    ? await PostgresDatabase.open(opts.databaseUrl, opts.database)
    : await openPglite(opts.dataDir === 'memory://' ? 'memory://' : join(opts.dataDir, 'db'), opts.database?.pglite);
  try {
    await migrate(db);
  } catch (e) {
    await db.close();
    throw e;
  }
  return db;
}

import { join } from 'node:path';
import type { DatabaseConfig } from '../config/app-config.js';
import type { Database } from './database.js';
import { migrate } from './migrate.js';
import { PgliteDatabase } from './pglite-database.js';
import { PostgresDatabase } from './postgres-database.js';

/**
 * Opens PostgreSQL when a URL is given, else PGlite under `dataDir/db`, and applies migrations.
 * `database` (pool size, timeouts) applies to PostgreSQL only: PGlite is one in-process connection
 * that cannot cancel a running statement (it accepts statement_timeout, yet pg_sleep outlasts it).
 */
export async function openDatabase(opts: { databaseUrl?: string; dataDir: string; database?: DatabaseConfig }): Promise<Database> {
  const db = opts.databaseUrl
    ? await PostgresDatabase.open(opts.databaseUrl, opts.database)
    : await PgliteDatabase.open(opts.dataDir === 'memory://' ? 'memory://' : join(opts.dataDir, 'db'));
  try {
    await migrate(db);
  } catch (e) {
    await db.close();
    throw e;
  }
  return db;
}

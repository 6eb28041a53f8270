import { join } from 'node:path';
import type { Database } from './database.js';
import { migrate } from './migrate.js';
import { PgliteDatabase } from './pglite-database.js';
import { PostgresDatabase } from './postgres-database.js';

/** Opens PostgreSQL when a URL is given, else PGlite under `dataDir/db`, and applies migrations. */
export async function openDatabase(opts: { databaseUrl?: string; dataDir: string }): Promise<Database> {
  const db = opts.databaseUrl
    ? await PostgresDatabase.open(opts.databaseUrl)
    : await PgliteDatabase.open(opts.dataDir === 'memory://' ? 'memory://' : join(opts.dataDir, 'db'));
  try {
    await migrate(db);
  } catch (e) {
    await db.close();
    throw e;
  }
  return db;
}

import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Database } from './database.js';

const MIGRATIONS_DIR = join(dirname(fileURLToPath(import.meta.url)), 'migrations');
// Any constant works; it only has to be the same for every instance that migrates this database.
const MIGRATION_LOCK = 0x486f6f6b;

export interface Migration {
  version: string;
  sql: string;
}

/** The versioned migrations, `NNN_name.sql`, in order. */
export function listMigrations(dir = MIGRATIONS_DIR): Migration[] {
  return readdirSync(dir)
    .filter((f) => /^\d{3}_[a-z0-9_]+\.sql$/.test(f))
    .sort()
    .map((f) => ({ version: f.replace(/\.sql$/, ''), sql: readFileSync(join(dir, f), 'utf8') }));
}

/**
 * Applies every migration not yet recorded, each in its own transaction. An advisory lock makes
 * instances that start together on one PostgreSQL apply them exactly once.
 */
export async function migrate(db: Database, migrations = listMigrations()): Promise<string[]> {
  return db.transaction(async (tx) => {
    // A migration (or the wait for another instance's) may rightly outlast the request statement timeout.
    await tx.query('SET LOCAL statement_timeout = 0');
    // Lock first: even CREATE TABLE IF NOT EXISTS races between instances starting together.
    await tx.query('SELECT pg_advisory_xact_lock($1)', [MIGRATION_LOCK]);
    await tx.query('CREATE TABLE IF NOT EXISTS schema_migrations (version text PRIMARY KEY, applied_at timestamptz NOT NULL DEFAULT now())');
    const done = new Set((await tx.query<{ version: string }>('SELECT version FROM schema_migrations')).map((r) => r.version));
    const applied: string[] = [];
    for (const m of migrations.filter((x) => !done.has(x.version))) {
      for (const statement of splitStatements(m.sql)) await tx.query(statement);
      await tx.query('INSERT INTO schema_migrations (version) VALUES ($1)', [m.version]);
      applied.push(m.version);
    }
    return applied;
  }, { unbounded: true });
}

/** The versioned migrations not yet applied to `db`; throws when the database cannot be read. */
export async function pendingMigrations(db: Database, migrations = listMigrations()): Promise<string[]> {
  const table = await db.query<{ t: string | null }>("SELECT to_regclass('schema_migrations')::text AS t");
  if (table[0]?.t === null) return migrations.map((m) => m.version);
  const applied = new Set((await db.query<{ version: string }>('SELECT version FROM schema_migrations')).map((r) => r.version));
  return migrations.map((m) => m.version).filter((v) => !applied.has(v));
}

/** Splits a migration on `;` at line ends; our migrations hold no procedural bodies. */
function splitStatements(sql: string): string[] {
  return sql
    .split(/;\s*(?:\n|$)/)
    .map((s) => s.replace(/^\s*--.*$/gm, '').trim())
    .filter(Boolean);
}

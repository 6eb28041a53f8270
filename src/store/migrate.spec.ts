import { listMigrations, migrate, pendingMigrations } from './migrate.js';
import { PgliteDatabase } from './pglite-database.js';

describe(migrate.name, () => {
  it('applies every versioned migration once, in order, and is a no-op the second time', async () => {
    const db = await PgliteDatabase.open('memory://');
    try {
      const versions = listMigrations().map((m) => m.version);
      expect(versions).toEqual([...versions].sort());
      expect(versions[0]).toBe('001_cds');
      expect(await pendingMigrations(db)).toEqual(versions);
      expect(await migrate(db)).toEqual(versions);
      expect(await migrate(db)).toEqual([]);
      expect(await pendingMigrations(db)).toEqual([]);
      expect(await pendingMigrations(db, [...listMigrations(), { version: '999_next', sql: '' }])).toEqual(['999_next']);
      const rows = await db.query<{ version: string }>('SELECT version FROM schema_migrations ORDER BY version');
      expect(rows.map((r) => r.version)).toEqual(versions);
    } finally {
      await db.close();
    }
  });

  it('rolls a failing migration back whole, leaving nothing half-applied', async () => {
    const db = await PgliteDatabase.open('memory://');
    try {
      const bad = [{ version: '900_bad', sql: 'CREATE TABLE half_done (id int);\nSELECT * FROM no_such_table;\n' }];
      await expect(migrate(db, bad)).rejects.toThrow(/no_such_table/);
      // Nothing of the failed run survives, not even the bookkeeping table it created.
      expect(await db.query("SELECT to_regclass('half_done') AS a, to_regclass('schema_migrations') AS b")).toEqual([{ a: null, b: null }]);
    } finally {
      await db.close();
    }
  });
});

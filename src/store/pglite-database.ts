import { PGlite } from '@electric-sql/pglite';
import type { Database, Queryable } from './database.js';
import { openLockedDirectory } from './data-directory.js';
import type { DataDirectoryLock } from './data-directory-lock.js';

/** PGlite in a directory (or in memory for `memory://`) on the request event loop (`database.pglite: inline`). */
export class PgliteDatabase implements Database {
  readonly kind = 'pglite' as const;

  private constructor(
    private readonly db: PGlite,
    private readonly lock?: DataDirectoryLock,
  ) {}

  /**
   * Opens the database in `dir`, initialising it only when the directory is absent or empty, and
   * holds the directory's lock until close. Every refusal is a BootError naming the directory and the fix.
   */
  static async open(dir: string | 'memory://'): Promise<PgliteDatabase> {
    if (dir === 'memory://') return new PgliteDatabase(await PGlite.create());
    return openLockedDirectory(dir, async (lock) => new PgliteDatabase(await PGlite.create(dir), lock));
  }

  async query<T>(sql: string, params: unknown[] = []): Promise<T[]> {
    return (await this.db.query<T>(sql, params)).rows;
  }

  async transaction<T>(fn: (tx: Queryable) => Promise<T>): Promise<T> {
    return this.db.transaction(async (tx) =>
      fn({ query: async <R>(sql: string, params: unknown[] = []) => (await tx.query<R>(sql, params)).rows }),
    );
  }

  async close(): Promise<void> {
    if (!this.db.closed) await this.db.close();
    this.lock?.release();
  }
}

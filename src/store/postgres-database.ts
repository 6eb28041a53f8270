import pg from 'pg';
import type { DatabaseConfig } from '../config/app-config.js';
import { DATABASE_DEFAULTS } from '../config/config.schema.js';
import type { Database, Queryable } from './database.js';

// BIGINT and NUMERIC come back as strings by default; our counters and epoch seconds fit in a double.
pg.types.setTypeParser(pg.types.builtins.INT8, (v) => Number(v));

/** A PostgreSQL server through a connection pool, for running several instances on one database. */
export class PostgresDatabase implements Database {
  readonly kind = 'postgres' as const;

  private constructor(private readonly pool: pg.Pool) {}

  static async open(url: string, options: DatabaseConfig = DATABASE_DEFAULTS): Promise<PostgresDatabase> {
    const pool = new pg.Pool({
      connectionString: url,
      max: options.poolSize,
      // Waiting for a pooled connection is bounded too: a saturated pool fails the request, never hangs it.
      connectionTimeoutMillis: options.connectTimeoutMs,
      statement_timeout: options.statementTimeoutMs,
    });
    // Fail at boot, not at the first request, when the server is unreachable.
    const client = await pool.connect();
    client.release();
    return new PostgresDatabase(pool);
  }

  async query<T>(sql: string, params: unknown[] = []): Promise<T[]> {
    return (await this.pool.query(sql, params)).rows as T[];
  }

  async transaction<T>(fn: (tx: Queryable) => Promise<T>): Promise<T> {
    const client = await this.pool.connect();
    try {
      await client.query('BEGIN');
      const result = await fn({ query: async <R>(sql: string, params: unknown[] = []) => (await client.query(sql, params)).rows as R[] });
      await client.query('COMMIT');
      return result;
    } catch (e) {
      await client.query('ROLLBACK');
      throw e;
    } finally {
      client.release();
    }
  }

  async close(): Promise<void> {
    await this.pool.end();
  }
}

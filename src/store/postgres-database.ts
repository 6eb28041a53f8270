import { Logger } from '@nestjs/common';
import pg from 'pg';
import type { DatabaseConfig } from '../config/app-config.js';
import { BootError } from '../config/config-error.js';
import { DATABASE_DEFAULTS } from '../config/config.schema.js';
import type { Database, Queryable, TransactionOptions } from './database.js';
import { asUnavailable, isDatabaseUnavailable } from './unavailable.js';

// BIGINT and NUMERIC come back as strings by default; our counters and epoch seconds fit in a double.
pg.types.setTypeParser(pg.types.builtins.INT8, (v) => Number(v));

/**
 * How much longer than statement_timeout the client waits for an answer. A live server cancels the
 * statement itself first; a frozen one (SIGSTOP, a stalled disk, a partition) never answers, and
 * only this client-side bound turns that into a fast 503 instead of a hang.
 */
const ANSWER_GRACE_MS = 1000;
/** A transaction that may outlast the request bounds (migrations) still gets an answer bound. */
const UNBOUNDED_ANSWER_MS = 24 * 3600 * 1000;

/** The boot error for a server that refused the first connection: where it was looked for (never the password) and why. */
function unreachableAtBoot(url: string, e: unknown): unknown {
  if (!isDatabaseUnavailable(e) && (e as { code?: unknown }).code === undefined) return e;
  const { host, pathname } = new URL(url);
  const { code, message } = e as { code?: string; message: string };
  const why = message || (e instanceof AggregateError ? e.errors.map((x: Error) => x.message).join('; ') : '');
  return new BootError(
    `PostgreSQL at ${host}${pathname} (DATABASE_URL) did not accept a connection (${code ?? (e as Error).name}${why ? `: ${why}` : ''}). Start the server, or correct DATABASE_URL.`,
  );
}

/** A PostgreSQL server through a connection pool, for running several instances on one database. */
export class PostgresDatabase implements Database {
  readonly kind = 'postgres' as const;
  private readonly logger = new Logger('Database');
  private away = false;

  private constructor(private readonly pool: pg.Pool) {
    // A pooled idle connection the server closes (pg_terminate_backend, a restart) emits 'error' on
    // the pool; without a listener that is an unhandled 'error' event, which ends the process.
    pool.on('error', (e) => this.noticeOutage(e));
  }

  static async open(url: string, options: Omit<DatabaseConfig, 'pglite'> = DATABASE_DEFAULTS): Promise<PostgresDatabase> {
    const pool = new pg.Pool({
      connectionString: url,
      max: options.poolSize,
      // Waiting for a pooled connection, or for a new one to be accepted, is bounded: never a hang.
      connectionTimeoutMillis: options.connectTimeoutMs,
      statement_timeout: options.statementTimeoutMs,
      query_timeout: options.statementTimeoutMs + ANSWER_GRACE_MS,
    });
    const db = new PostgresDatabase(pool);
    // Fail at boot, not at the first request, when the server is unreachable.
    try {
      const client = await pool.connect();
      client.release();
    } catch (e) {
      await pool.end();
      throw unreachableAtBoot(url, e);
    }
    return db;
  }

  async query<T>(sql: string, params: unknown[] = []): Promise<T[]> {
    try {
      const rows = (await this.pool.query(sql, params)).rows as T[];
      this.noticeRecovery();
      return rows;
    } catch (e) {
      throw this.translate(e);
    }
  }

  async transaction<T>(fn: (tx: Queryable) => Promise<T>, options: TransactionOptions = {}): Promise<T> {
    let client: pg.PoolClient;
    try {
      client = await this.pool.connect();
    } catch (e) {
      throw this.translate(e);
    }
    // A checked-out connection that breaks between two statements emits 'error' on the client,
    // which the pool only listens for while the client is idle.
    let broken: Error | undefined;
    const onError = (e: Error) => {
      broken = e;
      this.noticeOutage(e);
    };
    client.on('error', onError);
    const answerBound = options.unbounded ? { query_timeout: UNBOUNDED_ANSWER_MS } : {};
    const tx: Queryable = {
      query: async <R>(text: string, values: unknown[] = []) => (await client.query({ text, values, ...answerBound })).rows as R[],
    };
    try {
      await tx.query('BEGIN');
      const result = await fn(tx);
      await tx.query('COMMIT');
      this.noticeRecovery();
      return result;
    } catch (e) {
      // A lost or unanswered connection is dropped, not rolled back: the server rolls back on its own,
      // and a query left in flight there must not reach the next user of the connection.
      if (isDatabaseUnavailable(e)) broken ??= e as Error;
      if (broken === undefined) await tx.query('ROLLBACK').catch((r: Error) => (broken = r));
      throw this.translate(e);
    } finally {
      client.removeListener('error', onError);
      client.release(broken);
    }
  }

  async close(): Promise<void> {
    if (!this.pool.ended) await this.pool.end();
  }

  private translate(e: unknown): unknown {
    if (isDatabaseUnavailable(e)) this.noticeOutage(e as Error);
    return asUnavailable(e);
  }

  /** Logged once per outage, by SQLSTATE or errno and message (which carry no data), never the statement. */
  private noticeOutage(e: Error): void {
    if (this.away) return;
    this.away = true;
    const code = (e as { code?: string }).code;
    this.logger.warn(`PostgreSQL unavailable (${code ?? e.name}: ${e.message}); answering 503 until it is back`);
  }

  private noticeRecovery(): void {
    if (!this.away) return;
    this.away = false;
    this.logger.log('PostgreSQL is back');
  }
}

/**
 * The storage seam: embedded PostgreSQL (PGlite, WASM) in DATA_DIR by default, a PostgreSQL server
 * when DATABASE_URL is set. Both speak the same SQL; repositories only see this interface.
 */
export interface Queryable {
  /** Runs one parameterised statement and returns its rows. */
  query<T = Record<string, unknown>>(sql: string, params?: unknown[]): Promise<T[]>;
}

export interface TransactionOptions {
  /**
   * The transaction may rightly outlast the request bounds (a migration, or the wait for another
   * instance's); it then sets its own statement_timeout.
   */
  unbounded?: boolean;
}

export interface Database extends Queryable {
  /** Runs `fn` in one transaction (BEGIN … COMMIT, ROLLBACK on throw). */
  transaction<T>(fn: (tx: Queryable) => Promise<T>, options?: TransactionOptions): Promise<T>;
  close(): Promise<void>;
  readonly kind: 'pglite' | 'postgres';
}

/** Injection token for the Database. */
export const DATABASE = Symbol('DATABASE');

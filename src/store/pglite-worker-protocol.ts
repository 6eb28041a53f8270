/**
 * The messages between PgliteWorkerDatabase (main thread) and pglite-worker-thread.ts (the worker
 * that hosts PGlite). Types only: the thread entry imports this file with `import type`, so it stays
 * free of runtime imports of our own sources and runs as is from dist/ (.js) and from src/ (.ts).
 */

/** What the worker is started with (workerData). */
export interface WorkerStart {
  /** A PGlite data directory, already checked and locked by the main thread, or `memory://`. */
  dataDir: string;
}

/**
 * One request; `id` pairs it with its reply. A transaction is `begin` (tx id chosen by the main
 * thread), queries carrying that `tx`, then `end` (commit, or roll back when `fn` threw).
 */
export type Request =
  | { op: 'query'; id: number; sql: string; params: unknown[]; tx?: number }
  | { op: 'begin'; id: number; tx: number }
  | { op: 'end'; id: number; tx: number; commit: boolean }
  | { op: 'close'; id: number };

/** An Error as data: structured clone keeps only an Error's message and stack, not `code` and the other DatabaseError fields. */
export interface ErrorData {
  name: string;
  message: string;
  stack?: string;
  /** A PostgreSQL error (PGlite's DatabaseError), rebuilt as one so it reads the same as inline. */
  databaseError: boolean;
  /** The error's own enumerable fields: SQLSTATE `code`, `detail`, `constraint`, …, the statement and its `params`, or a WASI `errno`. */
  fields: Record<string, unknown>;
}

export type Reply = { id: number; rows: unknown[] } | { id: number; error: ErrorData };

/** The worker's first message: PGlite is open, or why it could not be opened. */
export type Ready = { ready: true } | { ready: false; error: ErrorData };

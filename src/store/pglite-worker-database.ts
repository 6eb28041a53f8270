import { Worker } from 'node:worker_threads';
import { messages } from '@electric-sql/pglite';
import { Logger } from '@nestjs/common';
import { openLockedDirectory } from './data-directory.js';
import type { DataDirectoryLock } from './data-directory-lock.js';
import type { Database, Queryable } from './database.js';
import type { ErrorData, Ready, Reply, Request, WorkerStart } from './pglite-worker-protocol.js';

/** The thread entry beside this file: compiled JavaScript under dist/, the TypeScript source under Vitest and tsx. */
const THREAD_ENTRY = new URL(`./pglite-worker-thread.${import.meta.url.endsWith('.ts') ? 'ts' : 'js'}`, import.meta.url);

/**
 * The worker thread ended without close() (a crash, an out-of-memory kill). Its code is PostgreSQL's
 * crash_shutdown (57P02), what a server's clients read when it crashed, so isDatabaseUnavailable
 * answers 503 for it as for a PostgreSQL server that went away.
 */
export class EmbeddedDatabaseStopped extends Error {
  readonly code = '57P02';

  constructor(reason: string) {
    super(`The embedded database's worker thread stopped (${reason}); restart Hookwarden`);
    this.name = new.target.name;
  }
}

/** An error as the thread sent it, with its name, message, stack and fields (SQLSTATE `code`, `constraint`, WASI `errno`, …). */
function rebuild(data: ErrorData): Error {
  // PGlite's DatabaseError, so that errors read the same as from the inline PgliteDatabase.
  const e: Error = data.databaseError ? new messages.DatabaseError(data.message, 0, 'error') : new Error(data.message);
  Object.assign(e, data.fields);
  e.name = data.name;
  if (data.stack !== undefined) e.stack = data.stack;
  return e;
}

interface Pending {
  resolve(rows: unknown[]): void;
  reject(e: unknown): void;
}

/**
 * PGlite in a worker thread, for the embedded default: the engine's CPU (about half of a hook
 * call's, issue 14) leaves the request event loop, and with a second core runs beside it. The data
 * directory's checks and lock stay in this thread, exactly as for the inline PgliteDatabase. One
 * postMessage per statement each way; rows come back by structured clone, so Date, Uint8Array
 * (bytea), numbers and jsonb objects keep their types.
 */
export class PgliteWorkerDatabase implements Database {
  readonly kind = 'pglite' as const;
  private readonly logger = new Logger('Database');
  private readonly pending = new Map<number, Pending>();
  private nextId = 1;
  private nextTx = 1;
  private closing?: Promise<void>;
  /** Why the thread is gone, once it is: every later statement fails at once with it. */
  private stopped?: () => Error;
  private failure?: Error;

  private constructor(
    private readonly worker: Worker,
    private readonly lock?: DataDirectoryLock,
  ) {
    worker.on('message', (r: Reply) => this.settle(r));
    // Without an 'error' listener an uncaught error in the thread would be thrown in this one.
    worker.on('error', (e) => (this.failure = e));
    worker.on('exit', (code) => this.onExit(code));
    // An idle database does not keep the process alive, as inline PGlite does not.
    worker.unref();
  }

  /**
   * Opens the database in `dir` (or in memory) in a new worker thread. As PgliteDatabase.open: the
   * directory's lock is held until close, and every refusal is a BootError naming the directory and the fix.
   */
  static async open(dir: string | 'memory://'): Promise<PgliteWorkerDatabase> {
    if (dir === 'memory://') return PgliteWorkerDatabase.start(dir);
    return openLockedDirectory(dir, (lock) => PgliteWorkerDatabase.start(dir, lock));
  }

  /** Starts the thread and waits for its first message: PGlite open, or why not. */
  private static start(dataDir: string, lock?: DataDirectoryLock): Promise<PgliteWorkerDatabase> {
    const worker = new Worker(THREAD_ENTRY, { workerData: { dataDir } satisfies WorkerStart });
    return new Promise((resolve, reject) => {
      let failure: Error | undefined;
      const onError = (e: Error) => (failure = e);
      const onExit = (code: number) => reject(failure ?? new Error(`The embedded database's worker thread exited (code ${code}) before it opened the database`));
      worker.on('error', onError);
      worker.once('exit', onExit);
      worker.once('message', (m: Ready) => {
        worker.off('error', onError);
        worker.off('exit', onExit);
        if (m.ready) return resolve(new PgliteWorkerDatabase(worker, lock));
        void worker.terminate();
        reject(rebuild(m.error));
      });
    });
  }

  query<T>(sql: string, params: unknown[] = []): Promise<T[]> {
    return this.send({ op: 'query', id: this.nextId++, sql, params }) as Promise<T[]>;
  }

  /** BEGIN in the thread holds PGlite's transaction mutex until `end`: statements outside `fn` wait, as inline. */
  async transaction<T>(fn: (tx: Queryable) => Promise<T>): Promise<T> {
    const tx = this.nextTx++;
    await this.send({ op: 'begin', id: this.nextId++, tx });
    let result: T;
    try {
      result = await fn({ query: <R>(sql: string, params: unknown[] = []) => this.send({ op: 'query', id: this.nextId++, sql, params, tx }) as Promise<R[]> });
    } catch (e) {
      // fn's error is the one to report; a rollback that fails too (the thread is gone) adds nothing.
      await this.send({ op: 'end', id: this.nextId++, tx, commit: false }).catch(() => undefined);
      throw e;
    }
    await this.send({ op: 'end', id: this.nextId++, tx, commit: true });
    return result;
  }

  /** Closes PGlite in the thread (after the statements already sent), ends the thread, releases the lock. */
  close(): Promise<void> {
    this.closing ??= this.shutdown();
    return this.closing;
  }

  private async shutdown(): Promise<void> {
    try {
      if (this.stopped === undefined) await this.send({ op: 'close', id: this.nextId++ });
    } finally {
      await this.worker.terminate();
      this.lock?.release();
    }
  }

  private send(request: Request): Promise<unknown[]> {
    if (this.stopped !== undefined) return Promise.reject(this.stopped());
    return new Promise((resolve, reject) => {
      // While an answer is awaited the thread keeps the process alive, as a pending inline statement does.
      if (this.pending.size === 0) this.worker.ref();
      this.pending.set(request.id, { resolve, reject });
      // oxlint-disable-next-line unicorn/require-post-message-target-origin -- a worker_threads Worker has no origin
      this.worker.postMessage(request);
    });
  }

  private settle(reply: Reply): void {
    const pending = this.pending.get(reply.id);
    if (pending === undefined) return;
    this.pending.delete(reply.id);
    if (this.pending.size === 0) this.worker.unref();
    if ('error' in reply) pending.reject(rebuild(reply.error));
    else pending.resolve(reply.rows);
  }

  private onExit(code: number): void {
    if (this.closing !== undefined) {
      this.stopped = () => new Error('PGlite is closed');
    } else {
      const reason = this.failure ? `${this.failure.name}: ${this.failure.message}` : `exit code ${code}`;
      this.stopped = () => new EmbeddedDatabaseStopped(reason);
      // Logged once, by the thread's error alone: a statement's text or parameters may hold PHI.
      this.logger.error(`The embedded database's worker thread stopped (${reason}); answering 503 until Hookwarden is restarted`);
    }
    for (const p of this.pending.values()) p.reject(this.stopped());
    this.pending.clear();
  }
}

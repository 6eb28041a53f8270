/**
 * The worker thread that hosts PGlite for PgliteWorkerDatabase, so its WASM engine and its result
 * parsing run beside the request event loop instead of on it (issue 14, "SQL off the event loop in
 * embedded mode"). It serves the requests of pglite-worker-protocol.ts in arrival order through
 * PGlite's own mutexes: a plain query waits while a transaction is open, as it does inline.
 *
 * No runtime imports of our own sources (only `import type`): Node runs this file as compiled
 * JavaScript from dist/, and as TypeScript (type stripping, or tsx) under Vitest and tsx.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { messages, PGlite } from '@electric-sql/pglite';
import type { Transaction } from '@electric-sql/pglite';
import type { ErrorData, Ready, Reply, Request, WorkerStart } from './pglite-worker-protocol.js';

const port = parentPort!;
const { dataDir } = workerData as WorkerStart;

/**
 * Any thrown value as data. Not only Errors: the file system's ErrnoError (a full disk, errno 51) is a
 * plain object with `name` and `errno` and no message.
 */
function errorData(e: unknown): ErrorData {
  if (typeof e !== 'object' || e === null) return { name: typeof e, message: String(e), databaseError: false, fields: {} };
  const fields: ErrorData['fields'] = {};
  for (const [key, value] of Object.entries(e)) {
    // Only errors pay this check; a field that cannot cross (a function) is left behind.
    try {
      structuredClone(value);
      fields[key] = value;
    } catch {
      continue;
    }
  }
  const { name, message, stack } = e as Partial<Error>;
  return {
    name: typeof name === 'string' ? name : (e.constructor?.name ?? 'Object'),
    message: typeof message === 'string' ? message : '',
    stack: typeof stack === 'string' ? stack : undefined,
    databaseError: e instanceof messages.DatabaseError,
    fields,
  };
}

/** Thrown into PGlite's transaction callback to make it roll back; never leaves this file. */
const ROLLBACK = Symbol('rollback');

/** A PGlite transaction held open between a `begin` and its `end`. */
interface OpenTransaction {
  tx: Transaction;
  finish(commit: boolean): void;
  /** Settles once PGlite has committed or rolled back; rejects when COMMIT (or BEGIN) failed. */
  settled: Promise<void>;
}

let db: PGlite;
const open = new Map<number, OpenTransaction>();

/** Resolves once BEGIN ran (PGlite's transaction mutex is held); the transaction then stays open until `end`. */
function begin(id: number): Promise<void> {
  return new Promise<void>((begun, failed) => {
    const settled = db
      .transaction(
        (tx) =>
          new Promise<void>((commit, rollback) => {
            open.set(id, { tx, finish: (ok) => (ok ? commit() : rollback(ROLLBACK)), settled });
            begun();
          }),
      )
      .catch((e: unknown) => {
        if (e !== ROLLBACK) throw e;
      });
    // Before BEGIN this rejects `begin`; after it, `begun` already settled the promise and `end` reports the failure.
    settled.catch(failed);
  });
}

function transaction(id: number): OpenTransaction {
  const t = open.get(id);
  if (t === undefined) throw new Error(`No open transaction ${id}`);
  return t;
}

async function end(id: number, commit: boolean): Promise<void> {
  const t = transaction(id);
  open.delete(id);
  t.finish(commit);
  await t.settled;
}

async function run(m: Request): Promise<unknown[]> {
  switch (m.op) {
    case 'query':
      return (await (m.tx === undefined ? db : transaction(m.tx).tx).query(m.sql, m.params)).rows;
    case 'begin':
      await begin(m.tx);
      return [];
    case 'end':
      await end(m.tx, m.commit);
      return [];
    case 'close':
      if (!db.closed) await db.close();
      return [];
  }
}

function reply(r: Reply): void {
  port.postMessage(r);
}

function listen(): void {
  port.on('message', (m: Request) => {
    run(m).then(
      (rows) => reply({ id: m.id, rows }),
      (e: unknown) => reply({ id: m.id, error: errorData(e) }),
    );
  });
  port.postMessage({ ready: true } satisfies Ready);
}

// The main thread turns an open failure into its BootError (explainOpenFailure) and ends this thread.
await (dataDir === 'memory://' ? PGlite.create() : PGlite.create(dataDir)).then(
  (opened) => {
    db = opened;
    listen();
  },
  (e: unknown) => port.postMessage({ ready: false, error: errorData(e) } satisfies Ready),
);

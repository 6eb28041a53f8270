import { TemporarilyUnavailable } from '../http/app-error.js';
import type { Database, Queryable } from './database.js';

/** How a GroupCommit forms its batches. */
export interface GroupCommitOptions {
  /** Most items in one statement; the rest wait for the next. */
  maxBatch: number;
  /** Told the size of every batch once it committed (a metric). */
  onCommit?: (size: number) => void;
}

interface Pending<T, R> {
  item: T;
  resolve: (result: R) => void;
  reject: (error: unknown) => void;
}

/** One table's batch taken for a flush, and how to settle its callers. */
interface Taken {
  /** Writes the batch through `q` and returns a settle function, without settling anyone yet. */
  write(q: Queryable): Promise<() => void>;
  /** Writes the batch alone (its own statement, each item alone if that fails) and settles its callers. */
  commitAlone(): Promise<void>;
  /** Fails every caller of the batch. */
  fail(e: unknown): void;
}

/**
 * Group commit across tables: the writes of concurrent calls that arrive in one event-loop turn, or
 * while the previous commit is still running, are written together, each table's as one statement,
 * and every table's of one turn in one transaction. A commit is the costly part of a write (PGlite's
 * file layer, PostgreSQL's WAL flush), so a turn pays for one however many tables and calls it holds.
 * At most one commit per database is in flight; under load the batches grow instead.
 */
export class CommitScheduler {
  private readonly waiting = new Set<GroupCommit<never, unknown>>();
  private scheduled = false;
  private inFlight?: Promise<void>;

  /** `db` is also where a table's batch is written alone when the turn's transaction failed. */
  constructor(readonly db: Database) {}

  /** Called by a GroupCommit that has queued items. */
  request(table: GroupCommit<never, unknown>): void {
    this.waiting.add(table);
    if (this.scheduled || this.inFlight) return;
    this.scheduled = true;
    // The rest of this turn's callers join the batch before it is written.
    setImmediate(() => {
      this.scheduled = false;
      this.flush();
    });
  }

  private flush(): void {
    const tables = [...this.waiting];
    // Cleared first: a table with more than maxBatch waiting asks again while it is taken.
    this.waiting.clear();
    const taken = tables.map((table) => table.take());
    if (taken.length === 0) return;
    this.inFlight = this.commit(taken).finally(() => {
      this.inFlight = undefined;
      // Whatever arrived meanwhile is the next commit, written at once.
      if (this.waiting.size > 0) this.flush();
    });
  }

  private async commit(taken: Taken[]): Promise<void> {
    if (taken.length === 1) return (taken[0] as Taken).commitAlone();
    let settle: (() => void)[];
    try {
      settle = await this.db.transaction(async (tx) => {
        const out: (() => void)[] = [];
        for (const t of taken) out.push(await t.write(tx));
        return out;
      });
    } catch (e) {
      // An outage fails every caller alike: each gets its 503 now, not once per table after the bound.
      if (e instanceof TemporarilyUnavailable) {
        for (const t of taken) t.fail(e);
        return;
      }
      // One bad table (or row) must not fail the other tables' calls: each is written alone.
      for (const t of taken) await t.commitAlone();
      return;
    }
    for (const s of settle) s();
  }
}

/**
 * One table's side of group commit: items submitted by concurrent calls are written as one statement
 * by `write`, in the transaction the CommitScheduler opens for the turn. Each caller's promise settles
 * only when its own batch committed (or failed), so nothing is acknowledged from memory.
 */
export class GroupCommit<T, R> {
  private queue: Pending<T, R>[] = [];

  /** `write` stores a batch through `q` in one statement and returns one result per item, in order. */
  constructor(
    private readonly commits: CommitScheduler,
    private readonly write: (q: Queryable, items: T[]) => Promise<R[]>,
    private readonly options: GroupCommitOptions,
  ) {}

  /** Queues `item` for the next batch; settles with its result once that batch committed. */
  submit(item: T): Promise<R> {
    return new Promise<R>((resolve, reject) => {
      this.queue.push({ item, resolve, reject });
      this.commits.request(this as unknown as GroupCommit<never, unknown>);
    });
  }

  /** Takes the next batch (at most maxBatch items) for the scheduler; asks for another flush if more wait. */
  take(): Taken {
    const batch = this.queue.splice(0, this.options.maxBatch);
    if (this.queue.length > 0) this.commits.request(this as unknown as GroupCommit<never, unknown>);
    return {
      write: async (q) => {
        const results = await this.writeChecked(q, batch);
        return () => this.settle(batch, results);
      },
      commitAlone: () => this.commitAlone(batch),
      fail: (e) => {
        for (const p of batch) p.reject(e);
      },
    };
  }

  private async commitAlone(batch: Pending<T, R>[]): Promise<void> {
    let results: R[];
    try {
      results = await this.writeChecked(this.commits.db, batch);
    } catch (e) {
      // An outage fails every row alike: each caller gets its 503 now, not after the bound once per row.
      if (batch.length === 1 || e instanceof TemporarilyUnavailable) {
        for (const p of batch) p.reject(e);
        return;
      }
      // One bad row must not fail its neighbours' calls: each is written alone, and only the bad one fails.
      for (const p of batch) await this.commitAlone([p]);
      return;
    }
    this.settle(batch, results);
  }

  private settle(batch: Pending<T, R>[], results: R[]): void {
    this.options.onCommit?.(batch.length);
    batch.forEach((p, i) => p.resolve(results[i] as R));
  }

  private async writeChecked(q: Queryable, batch: Pending<T, R>[]): Promise<R[]> {
    const results = await this.write(
      q,
      batch.map((p) => p.item),
    );
    if (results.length !== batch.length) throw new Error(`group commit: ${results.length} results for ${batch.length} items`);
    return results;
  }
}

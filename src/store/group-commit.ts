import { TemporarilyUnavailable } from '../http/app-error.js';

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

/**
 * Group commit: the writes of concurrent calls that arrive in one event-loop turn, or while the
 * previous statement is still running, go to the database as one statement. Each caller's promise
 * settles only when its own batch committed (or failed), so nothing is acknowledged from memory.
 * At most one statement per GroupCommit is in flight; under load the batches grow instead.
 */
export class GroupCommit<T, R> {
  private queue: Pending<T, R>[] = [];
  private scheduled = false;
  private inFlight?: Promise<void>;

  /** `write` stores a batch in one statement and returns one result per item, in order. */
  constructor(
    private readonly write: (items: T[]) => Promise<R[]>,
    private readonly options: GroupCommitOptions,
  ) {}

  /** Queues `item` for the next batch; settles with its result once that batch committed. */
  submit(item: T): Promise<R> {
    return new Promise<R>((resolve, reject) => {
      this.queue.push({ item, resolve, reject });
      this.schedule();
    });
  }

  private schedule(): void {
    if (this.scheduled || this.inFlight) return;
    this.scheduled = true;
    // The rest of this turn's callers join the batch before it is written.
    setImmediate(() => {
      this.scheduled = false;
      this.flush();
    });
  }

  private flush(): void {
    if (this.queue.length === 0) return;
    const batch = this.queue.splice(0, this.options.maxBatch);
    this.inFlight = this.commit(batch).finally(() => {
      this.inFlight = undefined;
      // Whatever arrived meanwhile is the next batch, written at once.
      if (this.queue.length > 0) this.flush();
    });
  }

  private async commit(batch: Pending<T, R>[]): Promise<void> {
    let results: R[];
    try {
      results = await this.writeChecked(batch.map((p) => p.item));
    } catch (e) {
      // An outage fails every row alike: each caller gets its 503 now, not after the bound once per row.
      if (batch.length === 1 || e instanceof TemporarilyUnavailable) {
        for (const p of batch) p.reject(e);
        return;
      }
      // One bad row must not fail its neighbours' calls: each is written alone, and only the bad one fails.
      for (const p of batch) await this.commit([p]);
      return;
    }
    this.options.onCommit?.(batch.length);
    batch.forEach((p, i) => p.resolve(results[i] as R));
  }

  private async writeChecked(items: T[]): Promise<R[]> {
    const results = await this.write(items);
    if (results.length !== items.length) throw new Error(`group commit: ${results.length} results for ${items.length} items`);
    return results;
  }
}

import { TemporarilyUnavailable } from '../http/app-error.js';
import { GroupCommit } from './group-commit.js';

/** A write that records its batches and waits until the test lets it commit. */
function gatedWrite() {
  const batches: number[][] = [];
  const gates: (() => void)[] = [];
  const write = (items: number[]) => {
    batches.push(items);
    return new Promise<number[]>((resolve, reject) => {
      gates.push(() => (items.includes(-1) ? reject(new Error('down')) : resolve(items.map((i) => i * 10))));
    });
  };
  const release = async () => {
    while (gates.length === 0) await new Promise((r) => setImmediate(r));
    gates.shift()?.();
  };
  return { batches, write, release };
}

describe('GroupCommit', () => {
  it('writes the items submitted in one turn as one batch and gives each caller its own result', async () => {
    const { batches, write, release } = gatedWrite();
    const sizes: number[] = [];
    const gc = new GroupCommit(write, { maxBatch: 100, onCommit: (n) => sizes.push(n) });
    const results = Promise.all([1, 2, 3].map((i) => gc.submit(i)));
    await release();
    expect(await results).toEqual([10, 20, 30]);
    expect(batches).toEqual([[1, 2, 3]]);
    expect(sizes).toEqual([3]);
  });

  it('keeps one statement in flight: what arrives meanwhile is the next batch, written when the first commits', async () => {
    const { batches, write, release } = gatedWrite();
    const gc = new GroupCommit(write, { maxBatch: 100 });
    const first = gc.submit(1);
    await new Promise((r) => setImmediate(r));
    const later = [gc.submit(2), gc.submit(3)];
    await new Promise((r) => setImmediate(r));
    expect(batches).toEqual([[1]]);
    await release();
    expect(await first).toBe(10);
    await release();
    expect(await Promise.all(later)).toEqual([20, 30]);
    expect(batches).toEqual([[1], [2, 3]]);
  });

  it('does not settle a caller before its own batch committed', async () => {
    const { write, release } = gatedWrite();
    const gc = new GroupCommit(write, { maxBatch: 100 });
    let settled = false;
    const p = gc.submit(1).then(() => (settled = true));
    for (let i = 0; i < 5; i++) await new Promise((r) => setImmediate(r));
    expect(settled).toBe(false);
    await release();
    await p;
    expect(settled).toBe(true);
  });

  it('splits at maxBatch', async () => {
    const { batches, write, release } = gatedWrite();
    const gc = new GroupCommit(write, { maxBatch: 2 });
    const all = Promise.all([1, 2, 3, 4, 5].map((i) => gc.submit(i)));
    await release();
    await release();
    await release();
    await all;
    expect(batches).toEqual([[1, 2], [3, 4], [5]]);
  });

  it('when a batch fails, writes each of its items alone, so only the bad one fails', async () => {
    const { batches, write, release } = gatedWrite();
    const sizes: number[] = [];
    const gc = new GroupCommit(write, { maxBatch: 100, onCommit: (n) => sizes.push(n) });
    const outcomes = [gc.submit(-1), gc.submit(2)].map((p) => p.then(String, (e: Error) => e.message));
    for (let i = 0; i < 3; i++) await release();
    expect(await Promise.all(outcomes)).toEqual(['down', '20']);
    expect(batches).toEqual([[-1, 2], [-1], [2]]);
    expect(sizes).toEqual([1]);
  });

  it('fails a caller whose write is down, and recovers for the next batch', async () => {
    const { write, release } = gatedWrite();
    const gc = new GroupCommit(write, { maxBatch: 100 });
    const failed = gc.submit(-1);
    await release();
    await expect(failed).rejects.toThrow('down');
    const next = gc.submit(3);
    await release();
    expect(await next).toBe(30);
  });

  it('when the database is away, fails the whole batch at once instead of retrying each item against the outage', async () => {
    const attempts: number[][] = [];
    const gc = new GroupCommit(
      async (items: number[]) => {
        attempts.push(items);
        throw new TemporarilyUnavailable();
      },
      { maxBatch: 100 },
    );
    const outcomes = await Promise.allSettled([1, 2, 3].map((i) => gc.submit(i)));
    expect(outcomes.map((o) => o.status === 'rejected' && o.reason instanceof TemporarilyUnavailable)).toEqual([true, true, true]);
    expect(attempts).toEqual([[1, 2, 3]]);
  });

  it('refuses a write that returns a result count other than the batch size', async () => {
    const gc = new GroupCommit(async (items: number[]) => items.slice(1), { maxBatch: 100 });
    await expect(gc.submit(1)).rejects.toThrow('0 results for 1 items');
  });
});

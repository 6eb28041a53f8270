import { TemporarilyUnavailable } from '../http/app-error.js';
import type { Database, Queryable } from './database.js';
import { CommitScheduler, GroupCommit } from './group-commit.js';

/** A connection or transaction of the gated database: `run` is one table's statement. */
type Gate = Queryable & { run: (table: string, items: number[]) => Promise<number[]> };

/**
 * A database that records each statement and transaction, and holds every statement until the test
 * lets it finish (a statement whose items include -1 fails; -2 fails as an outage).
 */
function gatedDatabase() {
  const statements: { table: string; items: number[]; inTransaction: boolean }[] = [];
  const transactions: { committed: boolean }[] = [];
  const gates: (() => void)[] = [];
  const run = (table: string, items: number[], inTransaction: boolean) => {
    statements.push({ table, items, inTransaction });
    return new Promise<number[]>((resolve, reject) => {
      gates.push(() => {
        if (items.includes(-2)) reject(new TemporarilyUnavailable());
        else if (items.includes(-1)) reject(new Error('bad row'));
        else resolve(items.map((i) => i * 10));
      });
    });
  };
  const tx = (inTransaction: boolean): Gate => ({
    query: () => Promise.resolve([]),
    run: (table, items) => run(table, items, inTransaction),
  });
  const db = {
    kind: 'pglite' as const,
    ...tx(false),
    transaction: async <T>(fn: (q: Queryable) => Promise<T>) => {
      const record = { committed: false };
      transactions.push(record);
      const result = await fn(tx(true));
      record.committed = true;
      return result;
    },
    close: () => Promise.resolve(),
  } satisfies Database & Gate;
  const release = async () => {
    while (gates.length === 0) await new Promise((r) => setImmediate(r));
    gates.shift()?.();
  };
  return { db, statements, transactions, release };
}

/** A table whose statement is the gated `run` of the connection or transaction it is given. */
function tableOf(commits: CommitScheduler, name: string, maxBatch = 100, sizes: number[] = []) {
  return new GroupCommit<number, number>(commits, (q, items) => (q as Gate).run(name, items), { maxBatch, onCommit: (n) => sizes.push(n) });
}

const turn = () => new Promise((r) => setImmediate(r));

describe('GroupCommit and CommitScheduler', () => {
  it('writes the items submitted in one turn as one statement and gives each caller its own result', async () => {
    const g = gatedDatabase();
    const sizes: number[] = [];
    const jti = tableOf(new CommitScheduler(g.db), 'jti', 100, sizes);
    const results = Promise.all([1, 2, 3].map((i) => jti.submit(i)));
    await g.release();
    expect(await results).toEqual([10, 20, 30]);
    expect(g.statements).toEqual([{ table: 'jti', items: [1, 2, 3], inTransaction: false }]);
    expect(g.transactions).toEqual([]);
    expect(sizes).toEqual([3]);
  });

  it('writes every table of one turn in one transaction, one statement per table', async () => {
    const g = gatedDatabase();
    const commits = new CommitScheduler(g.db);
    const [jti, links] = [tableOf(commits, 'jti'), tableOf(commits, 'links')];
    const results = Promise.all([jti.submit(1), links.submit(2), jti.submit(3)]);
    await g.release();
    await g.release();
    expect(await results).toEqual([10, 20, 30]);
    expect(g.statements).toEqual([
      { table: 'jti', items: [1, 3], inTransaction: true },
      { table: 'links', items: [2], inTransaction: true },
    ]);
    expect(g.transactions).toEqual([{ committed: true }]);
  });

  it('keeps one commit in flight: what arrives meanwhile is the next commit, written when the first is done', async () => {
    const g = gatedDatabase();
    const commits = new CommitScheduler(g.db);
    const [jti, links] = [tableOf(commits, 'jti'), tableOf(commits, 'links')];
    const first = jti.submit(1);
    await turn();
    const later = [jti.submit(2), links.submit(3)];
    await turn();
    expect(g.statements.map((s) => s.items)).toEqual([[1]]);
    await g.release();
    expect(await first).toBe(10);
    await g.release();
    await g.release();
    expect(await Promise.all(later)).toEqual([20, 30]);
    expect(g.statements.map((s) => s.items)).toEqual([[1], [2], [3]]);
  });

  it('does not settle a caller before its whole transaction committed', async () => {
    const g = gatedDatabase();
    const commits = new CommitScheduler(g.db);
    const [jti, links] = [tableOf(commits, 'jti'), tableOf(commits, 'links')];
    let settled = false;
    const p = jti.submit(1).then(() => (settled = true));
    const q = links.submit(2);
    await g.release();
    for (let i = 0; i < 5; i++) await turn();
    // jti's statement is done, but links' is not: the transaction has not committed.
    expect(settled).toBe(false);
    await g.release();
    await Promise.all([p, q]);
    expect(settled).toBe(true);
  });

  it('splits at maxBatch', async () => {
    const g = gatedDatabase();
    const jti = tableOf(new CommitScheduler(g.db), 'jti', 2);
    const all = Promise.all([1, 2, 3, 4, 5].map((i) => jti.submit(i)));
    for (let i = 0; i < 3; i++) await g.release();
    await all;
    expect(g.statements.map((s) => s.items)).toEqual([[1, 2], [3, 4], [5]]);
  });

  it('when one table of a transaction fails, writes each table alone, then each item of the bad one, so only the bad item fails', async () => {
    const g = gatedDatabase();
    const sizes: number[] = [];
    const commits = new CommitScheduler(g.db);
    const [jti, links] = [tableOf(commits, 'jti', 100, sizes), tableOf(commits, 'links', 100, sizes)];
    const outcomes = [jti.submit(-1), jti.submit(2), links.submit(3)].map((p) => p.then(String, (e: Error) => e.message));
    for (let i = 0; i < 5; i++) await g.release();
    expect(await Promise.all(outcomes)).toEqual(['bad row', '20', '30']);
    expect(g.statements).toEqual([
      { table: 'jti', items: [-1, 2], inTransaction: true },
      { table: 'jti', items: [-1, 2], inTransaction: false },
      { table: 'jti', items: [-1], inTransaction: false },
      { table: 'jti', items: [2], inTransaction: false },
      { table: 'links', items: [3], inTransaction: false },
    ]);
    expect(g.transactions).toEqual([{ committed: false }]);
    expect(sizes).toEqual([1, 1]);
  });

  it('fails a caller whose write is down, and recovers for the next batch', async () => {
    const g = gatedDatabase();
    const jti = tableOf(new CommitScheduler(g.db), 'jti');
    const failed = jti.submit(-1);
    await g.release();
    await expect(failed).rejects.toThrow('bad row');
    const next = jti.submit(3);
    await g.release();
    expect(await next).toBe(30);
  });

  it('when the database is away, fails every table and item of the turn at once instead of retrying each against the outage', async () => {
    const g = gatedDatabase();
    const commits = new CommitScheduler(g.db);
    const [jti, links] = [tableOf(commits, 'jti'), tableOf(commits, 'links')];
    const outcomes = Promise.allSettled([jti.submit(-2), jti.submit(2), links.submit(3)]);
    await g.release();
    expect((await outcomes).map((o) => o.status === 'rejected' && o.reason instanceof TemporarilyUnavailable)).toEqual([true, true, true]);
    expect(g.statements).toHaveLength(1);
  });

  it('refuses a write that returns a result count other than the batch size', async () => {
    const db = gatedDatabase().db;
    const gc = new GroupCommit(new CommitScheduler(db), async (_q, items: number[]) => items.slice(1), { maxBatch: 100 });
    await expect(gc.submit(1)).rejects.toThrow('0 results for 1 items');
  });
});

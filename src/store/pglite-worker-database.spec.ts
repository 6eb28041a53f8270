import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Logger } from '@nestjs/common';
import { BootError } from '../config/config-error.js';
import { TemporarilyUnavailable } from '../http/app-error.js';
import { migrate } from './migrate.js';
import { PgliteDatabase } from './pglite-database.js';
import { EmbeddedDatabaseStopped, PgliteWorkerDatabase } from './pglite-worker-database.js';
import { asUnavailable, isDatabaseUnavailable } from './unavailable.js';

/** The thread, reached past `private` only to kill it as a crash would. */
const threadOf = (db: PgliteWorkerDatabase) => (db as unknown as { worker: import('node:worker_threads').Worker }).worker;

/** The error a statement fails with (an Error saying so when it succeeds). */
const failure = (q: Promise<unknown>) => q.then(() => new Error('no error'), (e: unknown) => e as Error);
/** An error's own fields with its name and message, to compare two errors whole. */
const fields = (e: Error) => ({ ...e, name: e.name, message: e.message });

describe(PgliteWorkerDatabase.name, () => {
  let db: PgliteWorkerDatabase;
  beforeAll(async () => {
    db = await PgliteWorkerDatabase.open('memory://');
    await db.query('CREATE TABLE t (id int PRIMARY KEY, note text)');
  });
  afterAll(() => db.close());
  beforeEach(() => db.query('TRUNCATE t'));

  it('commits what fn wrote, and returns its result', async () => {
    const result = await db.transaction(async (tx) => {
      await tx.query('INSERT INTO t VALUES (1, $1)', ['a']);
      return (await tx.query<{ n: number }>('SELECT count(*)::int AS n FROM t'))[0].n;
    });
    expect(result).toBe(1);
    expect(await db.query('SELECT id, note FROM t')).toEqual([{ id: 1, note: 'a' }]);
  });

  it('rolls back everything fn wrote when it throws, and rethrows its error', async () => {
    const boom = new Error('boom');
    await expect(
      db.transaction(async (tx) => {
        await tx.query('INSERT INTO t VALUES (1, $1)', ['a']);
        throw boom;
      }),
    ).rejects.toBe(boom);
    expect(await db.query('SELECT * FROM t')).toEqual([]);
  });

  it('keeps statements outside an open transaction waiting until it ends, as PGlite does inline', async () => {
    let release!: () => void;
    const held = new Promise<void>((r) => (release = r));
    const tx = db.transaction(async (q) => {
      await q.query('INSERT INTO t VALUES (1, $1)', ['in tx']);
      await held;
      await q.query('INSERT INTO t VALUES (2, $1)', ['in tx']);
    });
    // Give the transaction time to begin before the outside statement is sent.
    await new Promise((r) => setTimeout(r, 50));
    const outside = db.query<{ n: number }>('SELECT count(*)::int AS n FROM t');
    let answered = false;
    void outside.then(() => (answered = true));
    await new Promise((r) => setTimeout(r, 50));
    expect(answered).toBe(false);
    release();
    await tx;
    expect(await outside).toEqual([{ n: 2 }]);
  });

  it('hands over a PostgreSQL error with its name, message, SQLSTATE and fields, as inline PGlite does', async () => {
    await db.query('INSERT INTO t VALUES (1, $1)', ['a']);
    const inline = await PgliteDatabase.open('memory://');
    try {
      await inline.query('CREATE TABLE t (id int PRIMARY KEY, note text)');
      await inline.query('INSERT INTO t VALUES (1, $1)', ['a']);
      const expected = await failure(inline.query('INSERT INTO t VALUES (1, $1)', ['b']));
      const actual = await failure(db.query('INSERT INTO t VALUES (1, $1)', ['b']));
      expect(actual).toBeInstanceOf(Error);
      expect(actual.constructor).toBe(expected.constructor);
      expect(fields(actual)).toEqual(fields(expected));
      expect(actual).toMatchObject({ name: 'error', code: '23505', constraint: 't_pkey', table: 't', severity: 'ERROR' });
      expect(isDatabaseUnavailable(actual)).toBe(false);
    } finally {
      await inline.close();
    }
  });

  it('fails a statement inside a transaction with its SQLSTATE, and the transaction rolls back', async () => {
    const e = await db
      .transaction(async (tx) => {
        await tx.query('INSERT INTO t VALUES (1, $1)', ['a']);
        await tx.query('SELECT * FROM no_such_table');
      })
      .catch((x: unknown) => x as { code?: string; message: string });
    expect(e).toMatchObject({ code: '42P01', message: 'relation "no_such_table" does not exist' });
    expect(await db.query('SELECT * FROM t')).toEqual([]);
  });

  it('returns Date, bytea as Uint8Array, numbers, booleans and jsonb objects with their types', async () => {
    const [row] = await db.query<Record<string, unknown>>(
      `SELECT '2026-12-01T12:00:00Z'::timestamptz AS at, '\\x00ff10'::bytea AS bytes, 42::int AS n, 1.5::float8 AS f,
              true AS ok, '{"a":[1,{"b":null}]}'::jsonb AS doc, NULL::text AS nothing`,
    );
    expect(row.at).toBeInstanceOf(Date);
    expect((row.at as Date).toISOString()).toBe('2026-12-01T12:00:00.000Z');
    expect(row.bytes).toBeInstanceOf(Uint8Array);
    expect([...(row.bytes as Uint8Array)]).toEqual([0, 255, 16]);
    expect(row).toMatchObject({ n: 42, f: 1.5, ok: true, doc: { a: [1, { b: null }] }, nothing: null });
  });

  it('passes Date, Uint8Array and JSON text parameters through', async () => {
    const [row] = await db.query<{ at: Date; bytes: Uint8Array; doc: unknown }>('SELECT $1::timestamptz AS at, $2::bytea AS bytes, $3::jsonb AS doc', [
      new Date('2026-12-01T12:00:00Z'),
      new Uint8Array([1, 2, 3]),
      JSON.stringify({ x: 'é' }),
    ]);
    expect(row.at.toISOString()).toBe('2026-12-01T12:00:00.000Z');
    expect([...row.bytes]).toEqual([1, 2, 3]);
    expect(row.doc).toEqual({ x: 'é' });
  });

  it('applies the migrations', async () => {
    const fresh = await PgliteWorkerDatabase.open('memory://');
    try {
      expect((await migrate(fresh)).length).toBeGreaterThan(0);
      expect(await migrate(fresh)).toEqual([]);
    } finally {
      await fresh.close();
    }
  });
});

describe(`${PgliteWorkerDatabase.name} when its thread dies`, () => {
  it('fails pending and later statements with an error that maps to 503, logging once, never hanging', async () => {
    const logged = vi.spyOn(Logger.prototype, 'error').mockImplementation(() => undefined);
    const db = await PgliteWorkerDatabase.open('memory://');
    try {
      // A statement that would run for a minute is in flight when the thread dies.
      const pending = db.query('SELECT pg_sleep(60)').catch((e: unknown) => e);
      await new Promise((r) => setTimeout(r, 50));
      await threadOf(db).terminate();
      const inFlight = await pending;
      expect(inFlight).toBeInstanceOf(EmbeddedDatabaseStopped);
      expect(isDatabaseUnavailable(inFlight)).toBe(true);
      expect(asUnavailable(inFlight)).toBeInstanceOf(TemporarilyUnavailable);

      const later = await db.query('SELECT 1').catch((e: unknown) => e);
      expect(isDatabaseUnavailable(later)).toBe(true);
      await expect(db.transaction(async (tx) => tx.query('SELECT 1'))).rejects.toBeInstanceOf(EmbeddedDatabaseStopped);
      expect(logged).toHaveBeenCalledTimes(1);
      expect(String(logged.mock.calls[0][0])).toMatch(/worker thread stopped .*503/);
    } finally {
      await db.close();
      logged.mockRestore();
    }
  }, 10_000);
});

describe(`${PgliteWorkerDatabase.name} on a data directory`, () => {
  let root: string;
  beforeEach(() => (root = mkdtempSync(join(tmpdir(), 'hookwarden-pglite-worker-'))));
  afterEach(() => rmSync(root, { recursive: true, force: true }));

  it('holds the directory lock until close, keeps the data across a reopen, and releases the lock', async () => {
    const dir = join(root, 'db');
    const db = await PgliteWorkerDatabase.open(dir);
    try {
      expect(existsSync(`${dir}.lock`)).toBe(true);
      // A second opener (another process, in effect) is refused by the lock, in this thread, before any thread starts.
      await expect(PgliteWorkerDatabase.open(dir)).rejects.toThrow(/is in use by another Hookwarden process/);
      await db.query('CREATE TABLE kept (v text)');
      await db.query("INSERT INTO kept VALUES ('x')");
    } finally {
      await db.close();
    }
    expect(existsSync(`${dir}.lock`)).toBe(false);
    const again = await PgliteWorkerDatabase.open(dir);
    try {
      expect(await again.query('SELECT v FROM kept')).toEqual([{ v: 'x' }]);
    } finally {
      await again.close();
    }
    expect(existsSync(`${dir}.lock`)).toBe(false);
  }, 60_000);

  it('refuses a directory that is not a database with the same BootError as inline, and releases the lock', async () => {
    const dir = join(root, 'db');
    await PgliteDatabase.open(dir).then((d) => d.close());
    rmSync(join(dir, 'PG_VERSION'));
    writeFileSync(join(dir, 'stray'), '');
    const e = await PgliteWorkerDatabase.open(dir).catch((x: unknown) => x);
    expect(e).toBeInstanceOf(BootError);
    expect((e as Error).message).toContain('is not empty but is not a database');
    expect(existsSync(`${dir}.lock`)).toBe(false);
  }, 60_000);
});

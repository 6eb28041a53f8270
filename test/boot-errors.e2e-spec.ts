import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, unlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BootError } from '../src/config/config-error.js';
import { DEMO_EHR_KEY_FILE } from '../src/config/demo.js';
import { openDatabase } from '../src/store/open-database.js';
import { freePort } from './bench/lib/processes.js';
import { runHookwardenToExit } from './helpers/hookwarden-process.js';
import { buildTestConfig, createTestApp } from './helpers/test-app.js';

/** A data directory holding a database that was opened, written and closed, as after a normal stop. */
async function usedDataDir(): Promise<string> {
  const t = await createTestApp();
  await t.close({ keepData: true });
  return t.config.dataDir;
}

/** The start on `dataDir` fails; resolves with its error. */
async function failedStart(dataDir: string): Promise<Error> {
  try {
    await createTestApp(buildTestConfig({}, { dataDir }));
  } catch (e) {
    expect(e).toBeInstanceOf(BootError);
    return e as Error;
  }
  throw new Error(`the start on ${dataDir} succeeded`);
}

/** Every file under `dir` with its size: what a refused start must leave as it was. */
function snapshot(dir: string): string[] {
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile())
    .map((e) => `${join(e.parentPath, e.name)} ${readFileSync(join(e.parentPath, e.name)).length}`)
    .sort();
}

describe('boot: an embedded data directory is initialised only when absent or empty', () => {
  it('an existing data directory missing db/PG_VERSION stops the start with an error naming it, and is left untouched', async () => {
    const dataDir = await usedDataDir();
    try {
      const db = join(dataDir, 'db');
      unlinkSync(join(db, 'PG_VERSION'));
      const before = snapshot(db);
      const e = await failedStart(dataDir);
      expect(e.message).toContain(`${db} is not empty but is not a database (${join(db, 'PG_VERSION')} is missing)`);
      expect(e.message).toContain('Restore the directory from a backup, or move it aside');
      expect(snapshot(db)).toEqual(before);
    } finally {
      rmSync(dataDir, { recursive: true, force: true });
    }
  });

  it('an empty db/ directory is initialised', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'hookwarden-test-'));
    mkdirSync(join(dataDir, 'db'));
    const t = await createTestApp(buildTestConfig({}, { dataDir }));
    expect(existsSync(join(dataDir, 'db', 'PG_VERSION'))).toBe(true);
    await t.close();
  });
});

describe('boot errors that say what is wrong and how to fix it', () => {
  it('a damaged write-ahead log (the engine aborts) names the directory and the fix', async () => {
    const dataDir = await usedDataDir();
    try {
      const wal = join(dataDir, 'db', 'pg_wal');
      const segment = join(wal, readdirSync(wal).find((f) => /^[0-9A-F]{24}$/.test(f))!);
      const bytes = readFileSync(segment);
      bytes.fill(0xab, 0, 256 * 1024);
      writeFileSync(segment, bytes);
      const e = await failedStart(dataDir);
      expect(e.message).toMatch(/^The embedded database in .+\/db could not be opened \(RuntimeError: Aborted\(\).*\): its files are damaged/);
      expect(e.message).toContain(wal);
      expect(e.message).toContain('Restore the directory from a backup, or move it aside to start with an empty database.');
    } finally {
      rmSync(dataDir, { recursive: true, force: true });
    }
  });

  // A full disk needs a small file system of its own: a tmpfs, which only root may mount. In a child
  // process, so the engine that failed holds no file open on it when it is unmounted.
  it.runIf(process.getuid?.() === 0)('a full disk at boot (ErrnoError errno 51) names the directory and says to free space', async () => {
    const mount = mkdtempSync(join(tmpdir(), 'hookwarden-full-'));
    const log = `${mount}.log`;
    execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=2m', 'tmpfs', mount]);
    try {
      const { exit, output } = await runHookwardenToExit('full-disk', { DATA_DIR: mount, HOOKWARDEN_CONFIG: undefined }, log);
      expect(exit).toBe(1);
      expect(output).toContain(`Hookwarden cannot start: No space left on the device holding ${mount}/db (ErrnoError errno 51`);
      expect(output).toContain('Free disk space there');
      expect(output).not.toMatch(/^\s+at /m);
    } finally {
      execFileSync('umount', [mount]);
      rmSync(mount, { recursive: true, force: true });
      rmSync(log, { force: true });
    }
  });

  describe('the demo EHR key file', () => {
    let dataDir: string;
    beforeEach(() => {
      dataDir = mkdtempSync(join(tmpdir(), 'hookwarden-test-'));
    });
    afterEach(() => rmSync(dataDir, { recursive: true, force: true }));

    /** main.ts in demo mode on `dataDir`: it must exit 1 printing one line, no stack trace. */
    async function demoStart(): Promise<string> {
      const { exit, output } = await runHookwardenToExit('demo', { DATA_DIR: dataDir, HOOKWARDEN_CONFIG: undefined }, join(dataDir, 'out.log'));
      expect(exit).toBe(1);
      expect(output).not.toMatch(/^\s+at /m);
      return output;
    }

    it('unparseable: the start names the file and the fix, no bare SyntaxError', async () => {
      writeFileSync(join(dataDir, DEMO_EHR_KEY_FILE), '{"issuer": "https://demo-ehr.hookwarden.local", ');
      const output = await demoStart();
      expect(output).toContain(`Hookwarden cannot start: ${join(dataDir, DEMO_EHR_KEY_FILE)} is not valid JSON (`);
      expect(output).toContain('Delete it and start again to generate a new demo EHR key');
    });

    it('holding {}: the start is refused instead of booting and refusing every call', async () => {
      writeFileSync(join(dataDir, DEMO_EHR_KEY_FILE), '{}');
      const output = await demoStart();
      expect(output).toContain(`Hookwarden cannot start: ${join(dataDir, DEMO_EHR_KEY_FILE)} is not a demo EHR key (issuer: `);
      expect(output).toContain('privateJwk: ');
      expect(output).toContain('every call signed by the demo EHR would be refused. Delete it and start again');
    });
  });
});

describe('boot on PostgreSQL', () => {
  it('a server that refuses the first connection stops the start naming where it was looked for, never the password', async () => {
    const port = await freePort();
    const e: Error = await openDatabase({ databaseUrl: `postgres://hookwarden:s3cret@127.0.0.1:${port}/hookwarden`, dataDir: '/nonexistent' }).then(
      () => new Error('the start succeeded'),
      (x: Error) => x,
    );
    expect(e).toBeInstanceOf(BootError);
    expect(e.message).toMatch(new RegExp(`^PostgreSQL at 127\\.0\\.0\\.1:${port}/hookwarden \\(DATABASE_URL\\) did not accept a connection \\(ECONNREFUSED`));
    expect(e.message).toContain('Start the server, or correct DATABASE_URL.');
    expect(e.message).not.toContain('s3cret');
  });
});

import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { BootError } from '../config/config-error.js';
import { DataDirectoryLock } from './data-directory-lock.js';

describe(DataDirectoryLock.name, () => {
  let root: string;
  let dir: string;
  beforeEach(() => {
    root = mkdtempSync(join(tmpdir(), 'hookwarden-lock-'));
    dir = join(root, 'db');
  });
  afterEach(() => rmSync(root, { recursive: true, force: true }));

  it('creates <dir>.lock naming this process and removes it on release', () => {
    const lock = DataDirectoryLock.acquire(dir);
    expect(JSON.parse(readFileSync(`${dir}.lock`, 'utf8'))).toMatchObject({ pid: process.pid, host: hostname() });
    lock.release();
    expect(existsSync(`${dir}.lock`)).toBe(false);
  });

  it('refuses a directory another holder still uses, naming it, the holder and the fix', () => {
    const lock = DataDirectoryLock.acquire(dir);
    try {
      expect(() => DataDirectoryLock.acquire(dir)).toThrow(BootError);
      expect(() => DataDirectoryLock.acquire(dir)).toThrow(new RegExp(`${dir} is in use by another Hookwarden process \\(pid ${process.pid} on .*DATABASE_URL.*delete ${dir}\\.lock`));
    } finally {
      lock.release();
    }
  });

  it('takes over the lock of a process that no longer runs (kill -9, a crash)', () => {
    const gone = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))']).stdout.toString();
    writeFileSync(`${dir}.lock`, JSON.stringify({ pid: Number(gone), host: hostname(), since: '2026-12-01T00:00:00.000Z' }));
    const lock = DataDirectoryLock.acquire(dir);
    expect(JSON.parse(readFileSync(`${dir}.lock`, 'utf8')).pid).toBe(process.pid);
    lock.release();
  });

  it('refuses a lock held from another host sharing the disk: its process cannot be checked from here', () => {
    writeFileSync(`${dir}.lock`, JSON.stringify({ pid: 1, host: `not-${hostname()}`, since: '2026-12-01T00:00:00.000Z' }));
    expect(() => DataDirectoryLock.acquire(dir)).toThrow(/in use by another Hookwarden process \(pid 1 on not-/);
  });

  it('treats an unreadable lock file as stale', () => {
    writeFileSync(`${dir}.lock`, '{');
    const lock = DataDirectoryLock.acquire(dir);
    expect(JSON.parse(readFileSync(`${dir}.lock`, 'utf8')).pid).toBe(process.pid);
    lock.release();
  });

  it('leaves a lock another process took over since in place', () => {
    const lock = DataDirectoryLock.acquire(dir);
    const other = JSON.stringify({ pid: 1, host: hostname(), since: '2026-12-01T00:00:00.000Z' });
    writeFileSync(`${dir}.lock`, other);
    lock.release();
    expect(readFileSync(`${dir}.lock`, 'utf8')).toBe(other);
  });
});

import { linkSync, mkdirSync, readFileSync, rmSync, unlinkSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { dirname } from 'node:path';
import { BootError } from '../config/config-error.js';

interface Holder {
  pid: number;
  host: string;
  since: string;
}

function readHolder(path: string): Holder | undefined {
  try {
    const h = JSON.parse(readFileSync(path, 'utf8')) as Partial<Holder>;
    return typeof h.pid === 'number' && typeof h.host === 'string' ? { pid: h.pid, host: h.host, since: String(h.since) } : undefined;
  } catch {
    return undefined;
  }
}

function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    // EPERM: it runs, as another user.
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * Whether the lock's holder may still be using the directory. On this host a holder that no longer
 * runs (kill -9, a crash) left a stale lock; a holder on another host sharing the disk cannot be
 * checked, so it counts as running.
 */
function isHeld(holder: Holder | undefined): holder is Holder {
  if (holder === undefined) return false;
  return holder.host !== hostname() || holder.pid === process.pid || isRunning(holder.pid);
}

/**
 * One process per PGlite data directory: PGlite is one in-process engine with no locking of its
 * own, so two processes on one directory accept the same JWT twice and can corrupt its files. The
 * lock file `<dir>.lock` names its holder; it is created whole (written aside, then hard-linked into
 * place, which fails if it exists) and removed on close.
 */
export class DataDirectoryLock {
  private constructor(
    readonly path: string,
    private readonly holder: Holder,
  ) {}

  static acquire(dir: string): DataDirectoryLock {
    const path = `${dir}.lock`;
    mkdirSync(dirname(path), { recursive: true });
    const holder: Holder = { pid: process.pid, host: hostname(), since: new Date().toISOString() };
    const staging = `${path}.${process.pid}`;
    writeFileSync(staging, JSON.stringify(holder), { mode: 0o600 });
    try {
      for (let attempt = 0; attempt < 2; attempt++) {
        try {
          linkSync(staging, path);
          return new DataDirectoryLock(path, holder);
        } catch (e) {
          if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
        }
        const current = readHolder(path);
        if (isHeld(current)) {
          throw new BootError(
            `${dir} is in use by another Hookwarden process (pid ${current.pid} on ${current.host}, since ${current.since}): two processes on one embedded database would accept the same JWT twice and can corrupt its files. ` +
              `Stop that process, or run several processes on PostgreSQL (DATABASE_URL). If no such process runs, delete ${path}.`,
          );
        }
        unlinkSync(path);
      }
      throw new BootError(`${path} keeps reappearing: another process is starting on ${dir} at the same time.`);
    } finally {
      rmSync(staging, { force: true });
    }
  }

  /** Removes the lock file, unless another process has taken it over since. */
  release(): void {
    const current = readHolder(this.path);
    if (current?.pid === this.holder.pid && current.since === this.holder.since) rmSync(this.path, { force: true });
  }
}

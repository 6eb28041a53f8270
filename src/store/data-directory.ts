import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { BootError } from '../config/config-error.js';
import { DataDirectoryLock } from './data-directory-lock.js';

/** What a PGlite data directory holds before it is opened. */
export type DataDirectoryState = 'absent' | 'empty' | 'database';

/**
 * Whether `dir` may be opened: absent or empty (PGlite initialises it) or a PostgreSQL data
 * directory (PG_VERSION, which initdb writes first). Anything else is refused: PGlite would
 * initialise it over the remains and start as if nothing happened, with every card, feedback and
 * signing secret gone.
 */
export function checkDataDirectory(dir: string): DataDirectoryState {
  const stat = statSync(dir, { throwIfNoEntry: false });
  if (stat === undefined) return 'absent';
  if (!stat.isDirectory()) throw new BootError(`${dir} is not a directory. DATA_DIR must hold the embedded database in its db/ folder: point DATA_DIR elsewhere, or move that file aside.`);
  if (readdirSync(dir).length === 0) return 'empty';
  if (existsSync(join(dir, 'PG_VERSION'))) return 'database';
  throw new BootError(
    `${dir} is not empty but is not a database (${join(dir, 'PG_VERSION')} is missing), so it was not opened: initialising it would replace its cards, feedback and secrets with an empty database. ` +
      'Restore the directory from a backup, or move it aside to start with an empty database.',
  );
}

/** WASI errno values (PGlite's file system reports these in ErrnoError.errno). */
const WASI_ENOSPC = 51;
const WASI_EACCES = 2;
const WASI_EPERM = 63;

/**
 * What a failed PGlite open means, for the operator: a full disk (ErrnoError errno 51), a directory
 * we may not write, or damaged files (the WASM engine aborts, e.g. on a torn write-ahead log).
 */
export function explainOpenFailure(dir: string, e: unknown): BootError {
  const { name = typeof e, message = String(e), errno, code } = (e ?? {}) as { name?: string; message?: string; errno?: unknown; code?: unknown };
  const cause = `${name}${typeof errno === 'number' ? ` errno ${errno}` : ''}${code ? ` ${String(code)}` : ''}${message ? `: ${message}` : ''}`;
  if (errno === WASI_ENOSPC || code === 'ENOSPC') {
    return new BootError(`No space left on the device holding ${dir} (${cause}). Free disk space there (or point DATA_DIR at a larger disk) and start again; the database was not changed.`);
  }
  if (errno === WASI_EACCES || errno === WASI_EPERM || code === 'EACCES' || code === 'EPERM') {
    return new BootError(`${dir} cannot be read or written by this process (${cause}). Give the user running Hookwarden access to DATA_DIR.`);
  }
  if (name === 'RuntimeError' || /Aborted\(\)/.test(message)) {
    return new BootError(
      `The embedded database in ${dir} could not be opened (${cause}): its files are damaged, for example a torn write-ahead log in ${join(dir, 'pg_wal')} after a crash or a full disk. ` +
        'Restore the directory from a backup, or move it aside to start with an empty database.',
    );
  }
  return new BootError(`The embedded database in ${dir} could not be opened (${cause}).`);
}

/**
 * Opens the database in `dir` as the one process that holds it: takes the directory's lock, checks
 * the directory, then runs `open` with the lock, which the opened database releases on close. Any
 * refusal releases the lock and is a BootError naming the directory and the fix.
 */
export async function openLockedDirectory<T>(dir: string, open: (lock: DataDirectoryLock) => Promise<T>): Promise<T> {
  const lock = DataDirectoryLock.acquire(dir);
  try {
    checkDataDirectory(dir);
    return await open(lock).catch((e: unknown) => {
      throw explainOpenFailure(dir, e);
    });
  } catch (e) {
    lock.release();
    throw e;
  }
}

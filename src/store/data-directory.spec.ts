import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BootError } from '../config/config-error.js';
import { checkDataDirectory, explainOpenFailure } from './data-directory.js';

describe(checkDataDirectory.name, () => {
  let root: string;
  beforeEach(() => {
    root = mkdtempSync(join(tmpdir(), 'hookwarden-dir-'));
  });
  afterEach(() => rmSync(root, { recursive: true, force: true }));

  it('an absent or an empty directory is initialised; one holding PG_VERSION is opened', () => {
    expect(checkDataDirectory(join(root, 'db'))).toBe('absent');
    mkdirSync(join(root, 'db'));
    expect(checkDataDirectory(join(root, 'db'))).toBe('empty');
    writeFileSync(join(root, 'db', 'PG_VERSION'), '17\n');
    expect(checkDataDirectory(join(root, 'db'))).toBe('database');
  });

  it('a directory with files but no PG_VERSION is refused, naming it and the missing file', () => {
    mkdirSync(join(root, 'db'));
    writeFileSync(join(root, 'db', 'postgresql.conf'), '');
    expect(() => checkDataDirectory(join(root, 'db'))).toThrow(new BootError(`${join(root, 'db')} is not empty but is not a database (${join(root, 'db', 'PG_VERSION')} is missing), so it was not opened: initialising it would replace its cards, feedback and secrets with an empty database. Restore the directory from a backup, or move it aside to start with an empty database.`));
  });

  it('a file where the directory should be is refused', () => {
    writeFileSync(join(root, 'db'), '');
    expect(() => checkDataDirectory(join(root, 'db'))).toThrow(/is not a directory/);
  });
});

/** An error as PGlite's file system throws it. */
const errno = (n: number) => Object.assign(new Error(''), { name: 'ErrnoError', errno: n });

describe(explainOpenFailure.name, () => {
  it.each([
    ['a full disk (WASI ENOSPC 51)', errno(51), /^No space left on the device holding \/d \(ErrnoError errno 51\)\. Free disk space there/],
    ['no access (WASI EACCES 2)', errno(2), /^\/d cannot be read or written by this process \(ErrnoError errno 2\)\. Give the user/],
    ['the engine aborting on damaged files', Object.assign(new Error('Aborted(). Build with -sASSERTIONS for more info.'), { name: 'RuntimeError' }), /^The embedded database in \/d could not be opened \(RuntimeError: Aborted\(\)\. .*\): its files are damaged, for example a torn write-ahead log in \/d\/pg_wal/],
    ['anything else', new TypeError('odd'), /^The embedded database in \/d could not be opened \(TypeError: odd\)\.$/],
  ])('%s', (_, e, message) => {
    const explained = explainOpenFailure('/d', e);
    expect(explained).toBeInstanceOf(BootError);
    expect(explained.message).toMatch(message);
  });
});

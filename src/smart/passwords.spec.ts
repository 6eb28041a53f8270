import { hashPasswordSync } from '../config/demo.js';
import { hashPassword, verifyPassword } from './passwords.js';

describe('verifyPassword', () => {
  const hash = hashPasswordSync('correct horse');

  it('accepts the right password', async () => {
    expect(await verifyPassword('correct horse', hash)).toBe(true);
  });

  it('rejects a wrong password', async () => {
    expect(await verifyPassword('correct hors', hash)).toBe(false);
  });

  it.each([
    ['not scrypt', hash.replace('scrypt$', 'bcrypt$')],
    ['too few parts', 'scrypt$32768$8$1$abc'],
    ['N not a power of two', hash.replace('$32768$', '$30000$')],
    ['N absurdly large', hash.replace('$32768$', '$1073741824$')],
    ['empty hash', `${hash.slice(0, hash.lastIndexOf('$'))}$`],
  ])('rejects a malformed hash (%s)', async (_, bad) => {
    expect(await verifyPassword('correct horse', bad)).toBe(false);
  });
});

describe('scrypt off the event loop (issue 10.10)', () => {
  it('the event loop keeps running while several password checks run', async () => {
    const stored = await hashPassword('secret');
    let ticks = 0;
    const timer = setInterval(() => ticks++, 1);
    try {
      const results = await Promise.all(Array.from({ length: 6 }, (_, i) => verifyPassword(i === 0 ? 'secret' : `guess-${i}`, stored)));
      expect(results).toEqual([true, false, false, false, false, false]);
    } finally {
      clearInterval(timer);
    }
    // A synchronous scrypt would block every tick until all six were done.
    expect(ticks).toBeGreaterThan(0);
  });

  it('hashPassword writes the format verifyPassword reads, with a fresh salt each time', async () => {
    const [a, b] = await Promise.all([hashPassword('pw'), hashPassword('pw')]);
    expect(a).toMatch(/^scrypt\$32768\$8\$1\$[A-Za-z0-9_-]{22}\$[A-Za-z0-9_-]{43}$/);
    expect(a).not.toBe(b);
    expect(await verifyPassword('pw', a)).toBe(true);
  });
});

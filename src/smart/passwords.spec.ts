import { hashPasswordSync } from '../config/demo.js';
import { verifyPassword } from './passwords.js';

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

import { verifyPassword } from '../smart/passwords.js';
import { hashPasswordInput } from './hash-password.js';
import { fileSchema } from './config.schema.js';

describe(hashPasswordInput.name, () => {
  it('hashes in the config format: scrypt N=2^15 r=8 p=1, verified by the authorization server, accepted by the schema', async () => {
    const result = hashPasswordInput('correct horse battery\n');
    if (!result.ok) throw new Error(result.message);
    expect(result.hash).toMatch(/^scrypt\$32768\$8\$1\$[A-Za-z0-9_-]{22}\$[A-Za-z0-9_-]{43}$/);
    await expect(verifyPassword('correct horse battery', result.hash)).resolves.toBe(true);
    await expect(verifyPassword('correct horse battery\n', result.hash)).resolves.toBe(false);
    expect(fileSchema.safeParse({ users: [{ username: 'u', passwordHash: result.hash, fhirUser: 'Practitioner/p1', roles: ['clinician'] }] }).success).toBe(true);
  });

  it('salts every hash', () => {
    const a = hashPasswordInput('same password');
    const b = hashPasswordInput('same password');
    expect(a.ok && b.ok && a.hash !== b.hash).toBe(true);
  });

  it('refuses a password shorter than 8 characters, a CRLF from a Windows pipe not counting', () => {
    expect(hashPasswordInput('1234567\r\n')).toEqual({ ok: false, message: 'a password needs at least 8 characters' });
    expect(hashPasswordInput('12345678\r\n').ok).toBe(true);
  });
});

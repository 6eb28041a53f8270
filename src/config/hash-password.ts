import { hashPasswordSync } from './demo.js';

/** NIST SP 800-63B §5.1.1.2: memorized secrets of at least 8 characters. */
const MIN_LENGTH = 8;

export type HashResult = { ok: true; hash: string } | { ok: false; message: string };

/**
 * `npm run hash-password`: the `users[].passwordHash` for a password, in the config's format
 * (`scrypt$N$r$p$salt$hash`, the one smart/passwords.ts verifies). A trailing newline from a pipe or
 * a terminal is not part of the password.
 */
export function hashPasswordInput(input: string): HashResult {
  const password = input.replace(/\r?\n$/, '');
  if (password.length < MIN_LENGTH) return { ok: false, message: `a password needs at least ${MIN_LENGTH} characters` };
  return { ok: true, hash: hashPasswordSync(password) };
}

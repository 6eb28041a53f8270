import { randomBytes, scrypt, timingSafeEqual } from 'node:crypto';

// Upper bounds keep a hostile config from turning a login into a memory/CPU bomb.
const MAX_N = 2 ** 20;
const MAX_RP = 16;

function valid(x: number, max: number): boolean {
  return Number.isInteger(x) && x > 0 && x <= max;
}

/**
 * Verifies `password` against `scrypt$N$r$p$salt$hash` (salt and hash base64url; the format
 * written by config/demo.ts hashPasswordSync). Constant-time comparison; malformed hashes fail.
 */
export async function verifyPassword(password: string, stored: string): Promise<boolean> {
  const parts = stored.split('$');
  if (parts.length !== 6 || parts[0] !== 'scrypt') return false;
  const [N, r, p] = parts.slice(1, 4).map(Number);
  const salt = Buffer.from(parts[4], 'base64url');
  const expected = Buffer.from(parts[5], 'base64url');
  if (!valid(N, MAX_N) || (N & (N - 1)) !== 0 || !valid(r, MAX_RP) || !valid(p, MAX_RP) || salt.length < 8 || expected.length < 16) {
    return false;
  }
  const actual = await new Promise<Buffer>((resolve, reject) =>
    scrypt(password, salt, expected.length, { N, r, p, maxmem: 256 * N * r + 1024 * 1024 }, (err, key) =>
      err ? reject(err) : resolve(key),
    ),
  );
  return timingSafeEqual(actual, expected);
}

/**
 * `scrypt$32768$8$1$salt$hash` of `password`, computed on the libuv thread pool (async scrypt), so hashing
 * never blocks the event loop; the same format and parameters as config/demo.ts hashPasswordSync.
 */
export async function hashPassword(password: string): Promise<string> {
  const salt = randomBytes(16);
  const N = 32768;
  const hash = await new Promise<Buffer>((resolve, reject) =>
    scrypt(password, salt, 32, { N, r: 8, p: 1, maxmem: 64 * 1024 * 1024 }, (err, key) => (err ? reject(err) : resolve(key))),
  );
  return `scrypt$${N}$8$1$${salt.toString('base64url')}$${hash.toString('base64url')}`;
}

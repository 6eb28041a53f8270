import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';

/** A fresh 256-bit random value, base64url (launches, codes, refresh tokens, transaction ids). */
export function randomToken(): string {
  return randomBytes(32).toString('base64url');
}

/** sha256 hex: how every bearer secret is stored at rest. */
export function sha256Hex(value: string): string {
  return createHash('sha256').update(value).digest('hex');
}

/** BASE64URL(SHA256(ASCII(value))) as in RFC 7636 §4.2 (S256). */
export function s256(value: string): string {
  return createHash('sha256').update(value, 'ascii').digest('base64url');
}

/** Constant-time string comparison that does not leak the length through an early return. */
export function safeEqual(a: string, b: string): boolean {
  const ha = createHash('sha256').update(a).digest();
  const hb = createHash('sha256').update(b).digest();
  return timingSafeEqual(ha, hb) && a.length === b.length;
}

import { createHmac, timingSafeEqual } from 'node:crypto';

/**
 * Signed, expiring tokens for card click-through links and per-card feedback URLs (DESIGN.md flows 2
 * and 6). Format: `base64url(JSON claims) "." base64url(HMAC-SHA256(secret, kind "." payload))`.
 * Claims carry identifiers only (service, hookInstance, card, link, app): never PHI, because these
 * URLs end up in browser history and Referer headers (smart-auth.md S2).
 */

/** `app-context`: the opaque handle a `smart` link carries as its appContext (DESIGN.md flow 2). */
export type SignedKind = 'link' | 'feedback' | 'app-context';

export interface SignedClaims {
  /** Service id. */
  s: string;
  /** hookInstance of the call that issued the card. */
  h: string;
  /** Card uuid. */
  c: string;
  /** Server-side link binding id (links only). */
  l?: string;
  /** SMART client id the link launches (links only). */
  a?: string;
  /** Expiry, epoch seconds. */
  exp: number;
}

export type VerifyResult =
  | { ok: true; claims: SignedClaims }
  | { ok: false; reason: 'malformed' | 'bad-signature' | 'expired' };

function mac(secret: Buffer, kind: SignedKind, payload: string): Buffer {
  // The kind is MACed too, so a feedback token can never be replayed as a link token or vice versa.
  return createHmac('sha256', secret).update(`${kind}.${payload}`).digest();
}

/** Signs `claims` for `kind`. */
export function signToken(secret: Buffer, kind: SignedKind, claims: SignedClaims): string {
  const payload = Buffer.from(JSON.stringify(claims)).toString('base64url');
  return `${payload}.${mac(secret, kind, payload).toString('base64url')}`;
}

function isClaims(value: unknown): value is SignedClaims {
  const v = value as Partial<SignedClaims> | null;
  return (
    typeof v === 'object' &&
    v !== null &&
    typeof v.s === 'string' &&
    typeof v.h === 'string' &&
    typeof v.c === 'string' &&
    typeof v.exp === 'number' &&
    (v.l === undefined || typeof v.l === 'string') &&
    (v.a === undefined || typeof v.a === 'string')
  );
}

/**
 * Verifies a token of `kind` at `nowSeconds`: signature first (constant-time), then expiry.
 * Any tampering, including a single changed byte, is `bad-signature` or `malformed`.
 */
export function verifyToken(secret: Buffer, kind: SignedKind, token: string, nowSeconds: number): VerifyResult {
  const parts = token.split('.');
  if (parts.length !== 2 || !/^[A-Za-z0-9_-]+$/.test(parts[0] ?? '') || !/^[A-Za-z0-9_-]+$/.test(parts[1] ?? '')) {
    return { ok: false, reason: 'malformed' };
  }
  const [payload, signature] = parts as [string, string];
  // Compare the encoded strings, not decoded bytes: base64url's unused trailing bits would otherwise
  // let a changed last character still verify.
  const expected = Buffer.from(mac(secret, kind, payload).toString('base64url'));
  const given = Buffer.from(signature);
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) return { ok: false, reason: 'bad-signature' };
  let claims: unknown;
  try {
    claims = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8'));
  } catch {
    return { ok: false, reason: 'malformed' };
  }
  if (!isClaims(claims)) return { ok: false, reason: 'malformed' };
  if (nowSeconds >= claims.exp) return { ok: false, reason: 'expired' };
  return { ok: true, claims };
}

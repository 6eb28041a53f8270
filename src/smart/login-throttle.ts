import { Injectable } from '@nestjs/common';
import { TooManyAttempts } from './oauth-errors.js';

/** How many failures a key may have before it must wait, and how the wait grows. */
export interface ThrottlePolicy {
  /** Failures allowed without a wait. */
  free: number;
  /** The first wait after them, doubled with each further failure, in seconds. */
  baseDelaySeconds: number;
  maxDelaySeconds: number;
  /** Failures older than this are forgotten. */
  windowSeconds: number;
}

/** What the throttle remembers of one key. */
export interface FailureRecord {
  failures: number;
  lastFailureMs: number;
}

/**
 * Per user (or client id): a handful of typos are free, then each guess waits twice as long as the last
 * (OWASP Authentication Cheat Sheet "Account lockout": throttle rather than lock, so an attacker cannot lock
 * a clinician out for long). Per address the allowance is larger: one ward may share one NAT address.
 */
export const PER_ACCOUNT: ThrottlePolicy = { free: 5, baseDelaySeconds: 2, maxDelaySeconds: 900, windowSeconds: 900 };
export const PER_ADDRESS: ThrottlePolicy = { free: 20, baseDelaySeconds: 2, maxDelaySeconds: 900, windowSeconds: 900 };
/**
 * Client authentication: a secret or key is not guessable like a password, so the throttle is there for the
 * cost of the checks (signature verification, JWKS fetches), and allows more before it slows a client down.
 */
export const PER_CLIENT: ThrottlePolicy = { free: 50, baseDelaySeconds: 1, maxDelaySeconds: 300, windowSeconds: 300 };
export const PER_CLIENT_ADDRESS: ThrottlePolicy = { free: 100, baseDelaySeconds: 1, maxDelaySeconds: 300, windowSeconds: 300 };

/** Seconds `record` must still wait at `nowMs` under `policy`; 0 when it may try now. Pure. */
export function retryAfterSeconds(record: FailureRecord | undefined, nowMs: number, policy: ThrottlePolicy): number {
  if (record === undefined || nowMs - record.lastFailureMs >= policy.windowSeconds * 1000) return 0;
  const over = record.failures - policy.free;
  if (over < 0) return 0;
  const delayMs = Math.min(policy.baseDelaySeconds * 2 ** over, policy.maxDelaySeconds) * 1000;
  const waitMs = record.lastFailureMs + delayMs - nowMs;
  return waitMs > 0 ? Math.ceil(waitMs / 1000) : 0;
}

/** The record after one more failure at `nowMs`; an expired record starts again. Pure. */
export function afterFailure(record: FailureRecord | undefined, nowMs: number, policy: ThrottlePolicy): FailureRecord {
  const fresh = record === undefined || nowMs - record.lastFailureMs >= policy.windowSeconds * 1000;
  return { failures: fresh ? 1 : record.failures + 1, lastFailureMs: nowMs };
}

/** A key the throttle counts failures under, with its policy. */
export interface ThrottleKey {
  key: string;
  policy: ThrottlePolicy;
}

/** Keys remembered per instance at most: the oldest is forgotten first (Map keeps insertion order). */
const MAX_KEYS = 100_000;

/**
 * Failed sign-ins (login and override re-authentication) and failed client authentications at the token
 * and introspection endpoints (issue: 200 guesses at 5/s were accepted): counted per account and per client
 * address, refused 429 with Retry-After before any scrypt or signature check runs. The decisions are the
 * pure functions above; this class keeps their records in memory, per instance.
 */
@Injectable()
export class LoginThrottle {
  private readonly records = new Map<string, FailureRecord>();

  /** Throws TooManyAttempts when any key must still wait. */
  check(keys: readonly ThrottleKey[]): void {
    const now = Date.now();
    const wait = Math.max(0, ...keys.map((k) => retryAfterSeconds(this.records.get(k.key), now, k.policy)));
    if (wait > 0) throw new TooManyAttempts(wait);
  }

  fail(keys: readonly ThrottleKey[]): void {
    const now = Date.now();
    for (const k of keys) {
      const next = afterFailure(this.records.get(k.key), now, k.policy);
      this.records.delete(k.key);
      this.records.set(k.key, next);
    }
    while (this.records.size > MAX_KEYS) this.records.delete(this.records.keys().next().value as string);
  }

  /** A success forgets the account's failures (not the address's: one success does not vouch for a NAT). */
  succeed(key: string): void {
    this.records.delete(key);
  }
}

/** The throttle keys of a sign-in as `account` from `address`. */
export function signInKeys(account: string, address: string | undefined): ThrottleKey[] {
  return [{ key: `account:${account}`, policy: PER_ACCOUNT }, ...(address ? [{ key: `address:${address}`, policy: PER_ADDRESS }] : [])];
}

/** The throttle keys of a client authentication as `clientId` from `address`. */
export function clientKeys(clientId: string, address: string | undefined): ThrottleKey[] {
  return [{ key: `client:${clientId}`, policy: PER_CLIENT }, ...(address ? [{ key: `client-address:${address}`, policy: PER_CLIENT_ADDRESS }] : [])];
}

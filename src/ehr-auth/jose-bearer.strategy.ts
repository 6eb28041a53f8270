import type { Request } from 'express';
import { type CryptoKey, type JWTPayload, jwtVerify } from 'jose';
import { Strategy } from 'passport-strategy';
import { CLOCK_SKEW_S } from '../http/clock-skew.js';
import { CdsClientRejected } from './cds-client-rejected.js';

/** What the key step hands over: the key the checks let through, and the instant they judged the token at. */
export interface VerificationKey {
  key: CryptoKey;
  algorithm: string;
  /** epoch ms: the instant the key-free checks judged the time claims at. */
  now: number;
}

/** Resolves the key for a still-unverified token, or rejects with the failed check. */
export type KeyForToken = (req: Request, token: string) => Promise<VerificationKey>;

/** Runs after the signature verified; `done` is passport's (user or false, and the reason). */
export type VerifyPayload = (req: Request, payload: JWTPayload, done: (err: unknown, user?: unknown, info?: unknown) => void) => void;

/** RFC 6750 §2.1: `Authorization: Bearer <token>`; the scheme is case-insensitive (RFC 9110 §11.1). */
export function bearerToken(authorization: string | undefined): string | undefined {
  const m = /^(\S+)\s+(\S+)$/.exec(authorization ?? '');
  return m && m[1].toLowerCase() === 'bearer' ? m[2] : undefined;
}

/**
 * A passport strategy that verifies the bearer JWT with jose on the cached WebCrypto key: no export
 * to PEM and no re-parse per request, and WebCrypto verifies off the event loop. `exp` is left to
 * the pure checks, which ran first; jose judges `exp` and `nbf` again at the same instant with the same
 * leeway (RFC 7519 §4.1.4, §4.1.5), and the payload's shape.
 */
export class JoseBearerStrategy extends Strategy {
  constructor(
    private readonly keyFor: KeyForToken,
    private readonly verify: VerifyPayload,
  ) {
    super();
  }

  override authenticate(req: Request): void {
    const token = bearerToken(req.headers.authorization);
    if (token === undefined) return this.fail(new CdsClientRejected('bearer'), 401);
    this.verified(req, token).then(
      (payload) => {
        if (!payload) return this.fail(new CdsClientRejected('signature'), 401);
        this.verify(req, payload, (err, user, info) => {
          if (err) return this.error(err as Error);
          if (!user) return this.fail(info, 401);
          this.success(user, info);
        });
      },
      (e: unknown) => (e instanceof CdsClientRejected ? this.fail(e, 401) : this.error(e as Error)),
    );
  }

  /** The verified payload, or undefined when the signature (or `nbf`) does not hold. */
  private async verified(req: Request, token: string): Promise<JWTPayload | undefined> {
    const { key, algorithm, now } = await this.keyFor(req, token);
    try {
      const { payload } = await jwtVerify(token, key, {
        algorithms: [algorithm],
        clockTolerance: CLOCK_SKEW_S,
        currentDate: new Date(now),
      });
      return payload;
    } catch {
      return undefined;
    }
  }
}

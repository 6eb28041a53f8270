import { randomUUID } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { jwtVerify } from 'jose';
import { APP_CONFIG, type AppConfig } from '../../config/app-config.js';
import { KeysService } from '../keys.service.js';
import { smartUrls } from '../smart-urls.js';
import { OVERRIDE_REQUEST_SECONDS, OVERRIDE_REQUEST_TYP, type OverrideRequestClaims } from './override-types.js';

/** What /fhir knows of a refused call when it asks for an override request. */
export type OverrideRequestInput = Omit<OverrideRequestClaims, 'jti' | 'iat' | 'exp'>;

const isString = (v: unknown): v is string => typeof v === 'string' && v !== '';

/** The claims a verified token must carry with the types we rely on. */
function wellFormed(c: Record<string, unknown>): c is Record<string, unknown> & OverrideRequestClaims {
  return (
    ['rule', 'reason', 'htm', 'htu', 'digest', 'client_id', 'sub', 'grant', 'jti'].every((k) => isString(c[k])) &&
    (c.level === 'confirm' || c.level === 'reauthenticate') &&
    (c.patient === undefined || isString(c.patient))
  );
}

/**
 * Override-request tokens (DESIGN.md): a JWS by the authorization server's key, `typ`
 * override-request+jwt (RFC 8725 §3.11), for the authorization endpoint (`aud`), at most five minutes.
 * It names one refused call and grants nothing by itself.
 */
@Injectable()
export class OverrideRequests {
  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly keys: KeysService,
  ) {}

  async mint(input: OverrideRequestInput): Promise<string> {
    const u = smartUrls(this.config);
    const now = Math.floor(Date.now() / 1000);
    return this.keys.sign({ ...input, iss: u.issuer, aud: u.authorize, jti: randomUUID(), iat: now, exp: now + OVERRIDE_REQUEST_SECONDS }, OVERRIDE_REQUEST_TYP);
  }

  /** The claims of a token we signed for this purpose, unexpired and at most five minutes long; else undefined. */
  async verify(token: string): Promise<OverrideRequestClaims | undefined> {
    const u = smartUrls(this.config);
    try {
      const { payload } = await jwtVerify(token, this.keys.verificationKey, {
        algorithms: ['RS256'],
        typ: OVERRIDE_REQUEST_TYP,
        issuer: u.issuer,
        audience: u.authorize,
        requiredClaims: ['jti', 'iat', 'exp'],
      });
      const claims = payload as Record<string, unknown>;
      if (!wellFormed(claims) || claims.exp - claims.iat > OVERRIDE_REQUEST_SECONDS) return undefined;
      return claims;
    } catch {
      return undefined;
    }
  }
}

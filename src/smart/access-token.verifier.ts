import { Inject, Injectable } from '@nestjs/common';
import { type JWTPayload, jwtVerify } from 'jose';
import { APP_CONFIG, type AppConfig } from '../config/app-config.js';
import { TemporarilyUnavailable } from '../http/app-error.js';
import { type Grant, GrantStore } from './grant-store.js';
import { KeysService } from './keys.service.js';
import { smartUrls } from './smart-urls.js';

/** Claims of our access tokens (RFC 9068 + SMART launch context). */
export interface AccessTokenClaims extends JWTPayload {
  client_id: string;
  scope: string;
  jti: string;
  exp: number;
  patient?: string;
  encounter?: string;
  fhirUser?: string;
}

/** An access token that is validly signed, unexpired, for our FHIR base and not revoked. */
export interface ActiveAccessToken {
  claims: AccessTokenClaims;
  grant: Grant;
}

/** RFC 6750 §2.1: the token of an `Authorization: Bearer <token>` header. */
export function bearerToken(authorization: string | undefined): string | undefined {
  return /^Bearer\s+(\S+)$/i.exec(authorization ?? '')?.[1];
}

/**
 * The one check of our access tokens, at /fhir and at introspection: RFC 9068 `typ` at+jwt, RS256
 * signature by a published key, `iss`, `aud` = FHIR base (T15), `exp` and the claims we rely on,
 * and that neither the token nor its grant was revoked (T1, R2, V2).
 */
@Injectable()
export class AccessTokenVerifier {
  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly keys: KeysService,
    private readonly grants: GrantStore,
  ) {}

  async verify(token: string): Promise<ActiveAccessToken | undefined> {
    const u = smartUrls(this.config);
    let payload: AccessTokenClaims;
    try {
      ({ payload } = await jwtVerify<AccessTokenClaims>(token, this.keys.verificationKey, {
        algorithms: ['RS256'],
        issuer: u.issuer,
        audience: u.fhirBase,
        typ: 'at+jwt',
        requiredClaims: ['jti', 'exp', 'client_id', 'scope'],
      }));
    } catch (e) {
      // Reading the keys can meet a database outage: a 503 the client retries, not a 401 that makes it drop a valid token.
      if (e instanceof TemporarilyUnavailable) throw e;
      return undefined;
    }
    const grant = await this.grants.activeAccessTokenGrant(payload.jti);
    return grant && { claims: payload, grant };
  }
}

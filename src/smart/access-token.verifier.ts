import { Inject, Injectable } from '@nestjs/common';
import { type JWTPayload, jwtVerify } from 'jose';
import { APP_CONFIG, type AppConfig } from '../config/app-config.js';
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

/**
 * Checks our access tokens: RS256 signature by a published key, `iss`, `aud` = FHIR base (T15),
 * `exp`, and that neither the token nor its grant was revoked (T1, R2, V2).
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
    try {
      const { payload } = await jwtVerify(token, this.keys.verificationKey, {
        algorithms: ['RS256'],
        issuer: u.issuer,
        audience: u.fhirBase,
        typ: 'at+jwt',
        requiredClaims: ['jti', 'exp', 'client_id', 'scope'],
      });
      return await this.active(payload as AccessTokenClaims);
    } catch {
      return undefined;
    }
  }

  /** The revocation half of verify(), for callers that checked signature, `aud` and `exp` themselves (passport-jwt). */
  async active(claims: AccessTokenClaims): Promise<ActiveAccessToken | undefined> {
    const grant = await this.grants.activeAccessTokenGrant(claims.jti);
    return grant && { claims, grant };
  }
}

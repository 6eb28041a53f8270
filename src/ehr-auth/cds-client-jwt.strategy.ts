import { Inject, Injectable } from '@nestjs/common';
import { PassportStrategy } from '@nestjs/passport';
import type { Request } from 'express';
import { decodeJwt, decodeProtectedHeader, type JWTPayload } from 'jose';
import passport from 'passport';
import { APP_CONFIG, type AppConfig } from '../config/app-config.js';
import { CLOCK_SKEW_S } from '../http/clock-skew.js';
import type { CdsClient } from './cds-client.js';
import { CdsClientRejected } from './cds-client-rejected.js';
import { EhrKeys } from './ehr-keys.js';
import { JoseBearerStrategy, type VerificationKey } from './jose-bearer.strategy.js';
import { JtiStore } from './jti-store.js';
import { checkUnverifiedJwt, expectedAudience, trustedIssuer } from './jwt-checks.js';

/** The name the strategy is registered under in its own Passport instance. */
export const CDS_CLIENT_STRATEGY = 'cds-client-jwt';

/**
 * Runs the key-free checks on the unverified token, then resolves the issuer's key. Unknown
 * issuers and foreign `jku`s fail here, before any key lookup can fetch anything.
 */
async function keyForRequest(config: AppConfig, keys: EhrKeys, req: Request, token: string): Promise<VerificationKey> {
  let header: ReturnType<typeof decodeProtectedHeader>;
  let claims: ReturnType<typeof decodeJwt>;
  try {
    header = decodeProtectedHeader(token);
    claims = decodeJwt(token);
  } catch {
    throw new CdsClientRejected('malformed');
  }
  const audience = expectedAudience(config.publicUrl, req.originalUrl);
  const now = Date.now();
  const result = checkUnverifiedJwt(header, claims, { ehrs: config.ehrs, audience, now });
  if (!result.ok) throw new CdsClientRejected(result.check);
  try {
    return { key: await keys.keyFor(result.ehr, header), algorithm: header.alg as string, now };
  } catch {
    throw new CdsClientRejected('key');
  }
}

/**
 * Passport adapter for the CDS client JWT (CDS Hooks §Trusting CDS Clients). The decisions are the
 * pure checks in jwt-checks.ts; jose verifies the signature with the key they let through, in the
 * algorithm the issuer is configured for; `validate` spends the jti. Each instance registers in its
 * own Passport, so several applications in one process (tests, workers) never share a strategy.
 */
@Injectable()
export class CdsClientJwtStrategy extends PassportStrategy(JoseBearerStrategy, CDS_CLIENT_STRATEGY) {
  declare private ownPassport?: passport.Authenticator;

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    keys: EhrKeys,
    private readonly jtis: JtiStore,
  ) {
    super((req: Request, token: string) => keyForRequest(config, keys, req, token));
  }

  /** The Passport instance this strategy is registered in. */
  get passport(): passport.Authenticator {
    return this.getPassportInstance();
  }

  /** Called by the @nestjs/passport mixin to register the strategy: our own instance, not the global one. */
  getPassportInstance(): passport.Authenticator {
    this.ownPassport ??= new passport.Authenticator();
    return this.ownPassport;
  }

  /** Runs after the signature verified: spends the jti (best practices step 6) and names the client. */
  async validate(_req: Request, payload: JWTPayload): Promise<[CdsClient] | [false, CdsClientRejected]> {
    const ehr = trustedIssuer(payload.iss, this.config.ehrs);
    const jti = payload.jti as string;
    const now = Date.now();
    if (!ehr || !(await this.jtis.claim(ehr.issuer, jti, ((payload.exp as number) + CLOCK_SKEW_S) * 1000, now))) {
      return [false, new CdsClientRejected(ehr ? 'replay' : 'issuer')];
    }
    const tenant = typeof payload.tenant === 'string' ? payload.tenant : undefined;
    return [{ authenticated: true, issuer: ehr.issuer, tenant, jti, ehr }];
  }
}

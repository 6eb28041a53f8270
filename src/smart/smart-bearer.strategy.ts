import { createPublicKey } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { AuthGuard, PassportStrategy } from '@nestjs/passport';
import type { JWK } from 'jose';
import { ExtractJwt, Strategy } from 'passport-jwt';
import { APP_CONFIG, type AppConfig } from '../config/app-config.js';
import { type AccessTokenClaims, type ActiveAccessToken, AccessTokenVerifier } from './access-token.verifier.js';
import { KeysService } from './keys.service.js';
import { smartUrls } from './smart-urls.js';
import { InvalidToken } from './oauth-errors.js';

/**
 * Bearer access tokens at /fhir (SMART app-launch.md step 6, RFC 6750): RS256 signature by one of
 * our published keys, `iss`, `aud` = our FHIR base (T15), `exp`; then not revoked (T1, V2).
 */
@Injectable()
export class SmartBearerStrategy extends PassportStrategy(Strategy, 'smart-bearer') {
  constructor(
    @Inject(APP_CONFIG) config: AppConfig,
    keys: KeysService,
    private readonly verifier: AccessTokenVerifier,
  ) {
    const u = smartUrls(config);
    super({
      jwtFromRequest: ExtractJwt.fromAuthHeaderAsBearerToken(),
      algorithms: ['RS256'],
      issuer: u.issuer,
      audience: u.fhirBase,
      secretOrKeyProvider: (_req: unknown, rawJwt: string, done: (err: unknown, key?: string) => void) => {
        const kid = kidOf(rawJwt);
        keys
          .publicKey(kid)
          .then((jwk) => done(null, jwk ? pem(jwk) : undefined))
          .catch(() => done(null, undefined));
      },
    });
  }

  async validate(claims: AccessTokenClaims): Promise<ActiveAccessToken | false> {
    if (typeof claims.jti !== 'string') return false;
    return (await this.verifier.active(claims)) ?? false;
  }
}

function kidOf(jwt: string): string {
  try {
    return String((JSON.parse(Buffer.from(jwt.split('.')[0], 'base64url').toString('utf8')) as { kid?: unknown }).kid ?? '');
  } catch {
    return '';
  }
}

function pem(jwk: JWK): string {
  return createPublicKey({ key: jwk as never, format: 'jwk' }).export({ type: 'spki', format: 'pem' }).toString();
}

/** Adapts the strategy: any failure is a FHIR `login` issue (401 OperationOutcome). */
@Injectable()
export class SmartBearerGuard extends AuthGuard('smart-bearer') {
  override handleRequest<T>(err: unknown, user: T): T {
    if (err || !user) throw new InvalidToken('a valid, unexpired access token for this server is required');
    return user;
  }
}

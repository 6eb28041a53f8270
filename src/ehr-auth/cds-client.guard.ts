import { type CanActivate, type ExecutionContext, Inject, Injectable, Logger } from '@nestjs/common';
import type { Request, Response } from 'express';
import { decodeJwt } from 'jose';
import { APP_CONFIG, type AppConfig } from '../config/app-config.js';
import type { CdsClient } from './cds-client.js';
import { CDS_CLIENT_STRATEGY, CdsClientJwtStrategy } from './cds-client-jwt.strategy.js';
import { CdsClientRejected, CdsClientUnauthorized } from './cds-client-rejected.js';
import type { JwtCheckName } from './jwt-checks.js';

type CdsRequest = Request & { cdsClient?: CdsClient };

/** What the strategy reports when a token fails, as the name of our check. */
function failedCheck(info: unknown): JwtCheckName {
  return info instanceof CdsClientRejected ? info.check : 'signature';
}

/** Quoted and bounded, so a claim cannot forge or flood log lines. */
function forLog(v: unknown): string {
  return typeof v === 'string' ? JSON.stringify(v.slice(0, 200)) : '-';
}

/** `iss` and `jti` of the (unverified) token for the log line. */
function logIdentity(req: Request): string {
  try {
    const claims = decodeJwt((req.headers.authorization ?? '').replace(/^\S+\s+/, ''));
    return `iss=${forLog(claims.iss)} jti=${forLog(claims.jti)}`;
  } catch {
    return 'iss=- jti=-';
  }
}

/**
 * Authenticates CDS clients on discovery, service calls and feedback (CDS Hooks §Trusting CDS
 * Clients) through the passport strategy and sets `req.cdsClient`. Every failure is the same bare
 * 401; only the failed check's name, `iss` and `jti` are logged, never the token.
 */
@Injectable()
export class CdsClientGuard implements CanActivate {
  private readonly logger = new Logger('CdsClientGuard');

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly strategy: CdsClientJwtStrategy,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const req = context.switchToHttp().getRequest<CdsRequest>();
    const res = context.switchToHttp().getResponse<Response>();
    if (!this.config.auth.required) {
      req.cdsClient = { authenticated: false, issuer: null };
      return true;
    }
    const client = await new Promise<CdsClient | undefined>((resolve, reject) => {
      this.strategy.passport.authenticate(CDS_CLIENT_STRATEGY, { session: false }, (err: unknown, user: CdsClient | false, info: unknown) => {
        if (err) return reject(err);
        if (!user) this.logger.warn(`CDS client refused: check=${failedCheck(info)} ${logIdentity(req)}`);
        resolve(user || undefined);
      })(req, res, reject);
    });
    if (!client) {
      // RFC 6750 §3: a 401 names the scheme; no error attributes, by §Trusting CDS Clients.
      res.setHeader('WWW-Authenticate', 'Bearer');
      throw new CdsClientUnauthorized();
    }
    req.cdsClient = client;
    return true;
  }
}

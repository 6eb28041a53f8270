import { type CanActivate, type ExecutionContext, Inject, Injectable } from '@nestjs/common';
import type { Request } from 'express';
import { APP_CONFIG, type AppConfig } from '../config/app-config.js';
import { AccessTokenVerifier, bearerToken } from '../smart/access-token.verifier.js';
import { InvalidToken } from '../smart/oauth-errors.js';
import { checkAnalyticsAccess } from './access.js';

/**
 * Bearer tokens at /analytics/v1 (RFC 6750): the embedded server's access token verifier decides
 * whether the token is valid (401 invalid_token when not), checkAnalyticsAccess whether it may
 * read analytics (403 insufficient_scope); the guard only adapts both.
 */
@Injectable()
export class AnalyticsGuard implements CanActivate {
  constructor(
    @Inject(AccessTokenVerifier) private readonly verifier: AccessTokenVerifier,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const req = context.switchToHttp().getRequest<Request>();
    const token = bearerToken(req.headers.authorization);
    const active = token === undefined ? undefined : await this.verifier.verify(token);
    if (!active) throw new InvalidToken('a valid, unexpired access token of this server is required');
    checkAnalyticsAccess(
      { scope: active.claims.scope, kind: active.grant.context.kind, clientId: active.claims.client_id, fhirUser: active.claims.fhirUser },
      this.config,
    );
    return true;
  }
}

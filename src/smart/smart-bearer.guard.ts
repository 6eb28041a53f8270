import { type CanActivate, type ExecutionContext, Injectable } from '@nestjs/common';
import type { Request } from 'express';
import { type ActiveAccessToken, AccessTokenVerifier, bearerToken } from './access-token.verifier.js';
import { InvalidToken } from './oauth-errors.js';

/**
 * Bearer access tokens at /fhir (SMART app-launch.md step 6, RFC 6750): the access token verifier
 * decides, exactly as at introspection; the guard only adapts its answer. A refusal is InvalidToken,
 * a FHIR `login` issue (401 OperationOutcome) at /fhir.
 */
@Injectable()
export class SmartBearerGuard implements CanActivate {
  constructor(private readonly verifier: AccessTokenVerifier) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const req = context.switchToHttp().getRequest<Request & { user?: ActiveAccessToken }>();
    const token = bearerToken(req.headers.authorization);
    const active = token === undefined ? undefined : await this.verifier.verify(token);
    if (!active) throw new InvalidToken('a valid, unexpired access token for this server is required');
    req.user = active;
    return true;
  }
}

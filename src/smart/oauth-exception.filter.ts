import { type ArgumentsHost, Catch, type ExceptionFilter, HttpException, Logger } from '@nestjs/common';
import type { Response } from 'express';
import { errorName, TemporarilyUnavailable } from '../http/app-error.js';
import { InputRejected } from '../http/input-errors.js';
import { InvalidClient, OAuthError, TooManyAttempts } from './oauth-errors.js';

/** An OAuth JSON error response (RFC 6749 §5.2). */
export interface OAuthErrorResponse {
  status: number;
  headers: Record<string, string>;
  body: { error: string; error_description?: string };
}

/**
 * The OAuth JSON transport of token, introspection and revocation: an OAuth error (or an outage, or an
 * input refused at the edge, `invalid_request`) as
 * `{error, error_description}`, the framework's own 4xx as `invalid_request`, anything else a bare
 * `server_error`.
 */
export function oauthErrorResponse(e: unknown): OAuthErrorResponse {
  if (e instanceof OAuthError || e instanceof TemporarilyUnavailable || e instanceof InputRejected) {
    // RFC 6749 §5.2: 401 + WWW-Authenticate matching the scheme the client used.
    const headers: Record<string, string> = e instanceof InvalidClient && e.usedBasic ? { 'WWW-Authenticate': 'Basic realm="hookwarden"' } : {};
    // RFC 6585 §4: say when to come back.
    if (e instanceof TooManyAttempts) headers['Retry-After'] = String(e.retryAfterSeconds);
    return { status: e.status, headers, body: { error: e.code, error_description: e.message } };
  }
  if (e instanceof HttpException && e.getStatus() < 500) return { status: 400, headers: {}, body: { error: 'invalid_request', error_description: e.message } };
  return { status: 500, headers: {}, body: { error: 'server_error' } };
}

/** Renders oauthErrorResponse() with `no-store` (RFC 6749 §5.1), never a stack trace. */
@Catch()
export class OAuthExceptionFilter implements ExceptionFilter {
  private readonly logger = new Logger('OAuth');

  catch(exception: unknown, host: ArgumentsHost): void {
    const { status, headers, body } = oauthErrorResponse(exception);
    if (status === 500) this.logger.error(`OAuth endpoint failed: ${errorName(exception)}`);
    const res = host.switchToHttp().getResponse<Response>();
    res.setHeader('Cache-Control', 'no-store');
    res.setHeader('Pragma', 'no-cache');
    res.set(headers).status(status).json(body);
  }
}

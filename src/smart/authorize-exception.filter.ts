import { type ArgumentsHost, Catch, type ExceptionFilter, Inject, Logger } from '@nestjs/common';
import type { Response } from 'express';
import { APP_CONFIG, type AppConfig } from '../config/app-config.js';
import { errorName, TemporarilyUnavailable } from '../http/app-error.js';
import { InputRejected } from '../http/input-errors.js';
import { setPageHeaders } from '../http/html-page.js';
import { AuthorizeRedirectError, redirectWith } from './authorize-checks.js';
import { OAuthError, TooManyAttempts } from './oauth-errors.js';
import { errorPage } from './pages.js';
import { smartUrls } from './smart-urls.js';

/** What the authorization endpoint answers an error with: a redirect back to the client, or a page. */
export type AuthorizeErrorResponse = { status: 303; location: string } | { status: number; html: string };

/**
 * The HTML transport of the authorization endpoint: an error that allows it goes back to the trusted
 * redirect_uri as a 303 with `error`, `error_description`, byte-exact `state` and `iss` (RFC 6749
 * §4.1.2.1, RFC 9207 §2); any other OAuth error (untrusted client or redirect_uri 400, CSRF 403) or an
 * outage is a page saying what happened; anything else a page that says nothing.
 */
export function authorizeErrorResponse(e: unknown, issuer: string): AuthorizeErrorResponse {
  if (e instanceof AuthorizeRedirectError) {
    if (!e.oauth.allowRedirect) return authorizeErrorResponse(e.oauth, issuer);
    const location = redirectWith(e.redirectUri, { error: e.oauth.code, error_description: e.oauth.message, state: e.state, iss: issuer });
    return { status: 303, location };
  }
  if (e instanceof OAuthError || e instanceof TemporarilyUnavailable) return { status: e.status, html: errorPage(e.message) };
  // Refused before the client and redirect_uri were checked, so never redirected.
  if (e instanceof InputRejected) return { status: e.status, html: errorPage('The request carries characters or data this server cannot accept.') };
  return { status: 500, html: errorPage('Something went wrong.') };
}

/** Renders authorizeErrorResponse() with the page headers (framing, no-store); never a stack trace. */
@Catch()
export class AuthorizeExceptionFilter implements ExceptionFilter {
  private readonly logger = new Logger('Authorize');

  constructor(@Inject(APP_CONFIG) private readonly config: AppConfig) {}

  catch(exception: unknown, host: ArgumentsHost): void {
    const answer = authorizeErrorResponse(exception, smartUrls(this.config).issuer);
    if (answer.status === 500) this.logger.error(`Authorization page failed: ${errorName(exception)}`);
    const res = host.switchToHttp().getResponse<Response>();
    setPageHeaders(res, this.config.frameAncestors);
    if ('location' in answer) res.status(answer.status).setHeader('Location', answer.location).end();
    else {
      // RFC 6585 §4: a throttled sign-in says when to come back.
      if (exception instanceof TooManyAttempts) res.setHeader('Retry-After', String(exception.retryAfterSeconds));
      res.status(answer.status).send(answer.html);
    }
  }
}

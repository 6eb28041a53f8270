import { type ArgumentsHost, Catch, type ExceptionFilter, Inject, Logger } from '@nestjs/common';
import type { Response } from 'express';
import { APP_CONFIG, type AppConfig } from '../config/app-config.js';
import { AuthorizeRedirectError, redirectWith } from './authorize-checks.js';
import { AuthorizePageError, CsrfRejected } from './oauth-errors.js';
import { setPageHeaders } from '../http/html-page.js';
import { errorPage } from './pages.js';
import { smartUrls } from './smart-urls.js';

/**
 * The HTML transport of the authorization endpoint: untrusted client/redirect → 400 page; trusted
 * redirect → 303 with `error`, byte-exact `state` and `iss` (RFC 6749 §4.1.2.1, RFC 9207 §2);
 * CSRF failures → 403 page. Never a stack trace.
 */
@Catch()
export class AuthorizeExceptionFilter implements ExceptionFilter {
  private readonly logger = new Logger('Authorize');

  constructor(@Inject(APP_CONFIG) private readonly config: AppConfig) {}

  catch(exception: unknown, host: ArgumentsHost): void {
    const res = host.switchToHttp().getResponse<Response>();
    setPageHeaders(res, this.config.frameAncestors);
    if (exception instanceof AuthorizeRedirectError) {
      const location = redirectWith(exception.redirectUri, {
        error: exception.oauth.error,
        error_description: exception.oauth.description,
        state: exception.state,
        iss: smartUrls(this.config).issuer,
      });
      res.status(303).setHeader('Location', location).end();
      return;
    }
    if (exception instanceof AuthorizePageError) {
      res.status(400).send(errorPage(exception.description));
      return;
    }
    if (exception instanceof CsrfRejected) {
      res.status(403).send(errorPage('This form has expired or was already submitted. Start again from the app.'));
      return;
    }
    this.logger.error(`Authorization page failed: ${(exception as Error)?.name ?? 'unknown error'}`);
    res.status(500).send(errorPage('Something went wrong.'));
  }
}

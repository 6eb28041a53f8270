import { type ArgumentsHost, Catch, type ExceptionFilter, Logger } from '@nestjs/common';
import type { Response } from 'express';
import { errorName } from '../http/app-error.js';
import { oauthErrorResponse } from '../smart/oauth-exception.filter.js';

/** The app-context endpoint is a bearer-token resource: OAuth JSON errors, and a 401 names the scheme and error (RFC 6750 §3). */
@Catch()
export class AppContextExceptionFilter implements ExceptionFilter {
  private readonly logger = new Logger('AppContext');

  catch(exception: unknown, host: ArgumentsHost): void {
    const { status, headers, body } = oauthErrorResponse(exception);
    if (status === 500) this.logger.error(`app-context redemption failed: ${errorName(exception)}`);
    const res = host.switchToHttp().getResponse<Response>();
    res.setHeader('Cache-Control', 'no-store');
    if (status === 401) res.setHeader('WWW-Authenticate', `Bearer error="${body.error}"`);
    res.set(headers).status(status).json(body);
  }
}

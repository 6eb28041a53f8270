import { type ArgumentsHost, Catch, type ExceptionFilter, Logger } from '@nestjs/common';
import type { Response } from 'express';
import { errorName } from '../http/app-error.js';
import { oauthErrorResponse } from '../smart/oauth-exception.filter.js';
import { ANALYTICS_SCOPE } from './access.js';

/** RFC 6750 §3: the challenge of a refused bearer request names the error (and, for 403, the scope needed). */
export function bearerChallenge(status: number, error: string): string | undefined {
  if (status === 401) return `Bearer realm="hookwarden", error="${error}"`;
  if (status === 403) return `Bearer realm="hookwarden", error="${error}", scope="${ANALYTICS_SCOPE}"`;
  return undefined;
}

/** The analytics API's errors as OAuth JSON (RFC 6750 §3.1 codes), with the Bearer challenge; never a stack trace. */
@Catch()
export class AnalyticsExceptionFilter implements ExceptionFilter {
  private readonly logger = new Logger('Analytics');

  catch(exception: unknown, host: ArgumentsHost): void {
    const { status, headers, body } = oauthErrorResponse(exception);
    if (status === 500) this.logger.error(`analytics request failed: ${errorName(exception)}`);
    const challenge = bearerChallenge(status, body.error);
    const res = host.switchToHttp().getResponse<Response>();
    res.setHeader('Cache-Control', 'no-store');
    res.set({ ...headers, ...(challenge === undefined ? {} : { 'WWW-Authenticate': challenge }) }).status(status).json(body);
  }
}

import { type ArgumentsHost, Catch, type ExceptionFilter, HttpException, Logger } from '@nestjs/common';
import type { Response } from 'express';
import { InvalidClient, OAuthError } from './oauth-errors.js';

/**
 * The OAuth JSON transport (RFC 6749 §5.2): every failure at token, introspection and revocation
 * becomes `{error, error_description}` with 400/401, `no-store`, never a stack trace.
 */
@Catch()
export class OAuthExceptionFilter implements ExceptionFilter {
  private readonly logger = new Logger('OAuth');

  catch(exception: unknown, host: ArgumentsHost): void {
    const res = host.switchToHttp().getResponse<Response>();
    res.setHeader('Cache-Control', 'no-store');
    res.setHeader('Pragma', 'no-cache');
    if (exception instanceof OAuthError) {
      // RFC 6749 §5.2: 401 + WWW-Authenticate matching the scheme the client used.
      if (exception instanceof InvalidClient && exception.usedBasic) res.setHeader('WWW-Authenticate', 'Basic realm="hookwarden"');
      res.status(exception.status).json({ error: exception.error, error_description: exception.description });
      return;
    }
    if (exception instanceof HttpException && exception.getStatus() < 500) {
      res.status(400).json({ error: 'invalid_request', error_description: exception.message });
      return;
    }
    this.logger.error(`OAuth endpoint failed: ${(exception as Error)?.name ?? 'unknown error'}`);
    res.status(500).json({ error: 'server_error' });
  }
}

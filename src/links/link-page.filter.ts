import { type ArgumentsHost, Catch, type ExceptionFilter, Logger } from '@nestjs/common';
import type { Response } from 'express';
import { escapeHtml, htmlPage, setPageHeaders } from '../http/html-page.js';
import { LinkForbidden, LinkGone } from './link-errors.js';

/** Browser-facing link errors: an HTML page with 403/410, never a redirect, never a stack trace. */
@Catch()
export class LinkPageFilter implements ExceptionFilter {
  private readonly logger = new Logger(LinkPageFilter.name);

  catch(exception: unknown, host: ArgumentsHost): void {
    const res = host.switchToHttp().getResponse<Response>();
    let status = 500;
    let title = 'Something went wrong';
    let message = 'The link could not be opened. Please try again from the patient chart.';
    if (exception instanceof LinkGone) {
      [status, title, message] = [410, 'Link expired', exception.message];
    } else if (exception instanceof LinkForbidden) {
      [status, title, message] = [403, 'Link not valid', exception.message];
      this.logger.warn(`link refused: ${exception.reason}`);
    } else {
      this.logger.error(`link failed: ${(exception as Error)?.message ?? String(exception)}`);
    }
    setPageHeaders(res);
    res.status(status).send(htmlPage(title, `<p>${escapeHtml(message)}</p>`));
  }
}

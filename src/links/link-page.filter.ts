import { type ArgumentsHost, Catch, type ExceptionFilter, Logger } from '@nestjs/common';
import type { Response } from 'express';
import { errorName, TemporarilyUnavailable } from '../http/app-error.js';
import { InputRejected } from '../http/input-errors.js';
import { escapeHtml, htmlPage, setPageHeaders } from '../http/html-page.js';
import { LinkError, LinkForbidden } from './link-errors.js';

/** What a browser is shown for a failed click-through. */
export interface LinkPage {
  status: number;
  title: string;
  message: string;
}

/** The page for an error on the click-through endpoint: a link error as itself; anything else says nothing of why. */
export function linkPage(e: unknown): LinkPage {
  if (e instanceof LinkError) return { status: e.status, title: e.title, message: e.message };
  if (e instanceof TemporarilyUnavailable) return { status: e.status, title: 'Temporarily unavailable', message: e.message };
  if (e instanceof InputRejected) return { status: e.status, title: 'This link is not valid', message: 'The link could not be read. Please open it again from the patient chart.' };
  return { status: 500, title: 'Something went wrong', message: 'The link could not be opened. Please try again from the patient chart.' };
}

/** The HTML transport of card links: a page with 403/410 (never a redirect), never a stack trace. */
@Catch()
export class LinkPageFilter implements ExceptionFilter {
  private readonly logger = new Logger(LinkPageFilter.name);

  catch(exception: unknown, host: ArgumentsHost): void {
    const page = linkPage(exception);
    if (exception instanceof LinkForbidden) this.logger.warn(`link refused: ${exception.reason}`);
    else if (page.status === 500) this.logger.error(`link failed: ${errorName(exception)}`);
    const res = host.switchToHttp().getResponse<Response>();
    setPageHeaders(res);
    res.status(page.status).send(htmlPage(page.title, `<p>${escapeHtml(page.message)}</p>`));
  }
}

import type { NextFunction, Request, Response } from 'express';
import { MalformedJsonError, PayloadTooLargeError, UnreadableBodyError } from './cds-errors.js';
import { cdsErrorResponse } from './cds-exception.filter.js';

/**
 * Express error middleware for body-parser failures on the CDS paths: they happen before Nest's
 * router, so without this a bad JSON body would get Express's HTML error page.
 */
export function cdsBodyErrors(err: unknown, _req: Request, res: Response, next: NextFunction): void {
  const { type, status } = err as { type?: unknown; status?: unknown };
  if (type === 'entity.too.large') return sendError(res, new PayloadTooLargeError());
  if (type === 'entity.parse.failed') return sendError(res, new MalformedJsonError());
  if (typeof type === 'string' && typeof status === 'number' && status >= 400 && status < 500) return sendError(res, new UnreadableBodyError(status));
  next(err);
}

function sendError(res: Response, e: Error): void {
  const { status, body } = cdsErrorResponse(e);
  res.status(status).type('application/json').json(body);
}

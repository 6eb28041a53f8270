import { type ArgumentsHost, Catch, type ExceptionFilter } from '@nestjs/common';
import type { Response } from 'express';
import { cdsErrorResponse } from '../cds/cds-exception.filter.js';
import { operationOutcome } from '../http/operation-outcome.js';
import { LinkForbidden, LinkGone } from './link-errors.js';

/** Signed feedback URLs answer like the CDS endpoints: OperationOutcome JSON, 403/410 for bad or old URLs. */
@Catch()
export class FeedbackUrlFilter implements ExceptionFilter {
  catch(exception: unknown, host: ArgumentsHost): void {
    const res = host.switchToHttp().getResponse<Response>();
    if (exception instanceof LinkForbidden || exception instanceof LinkGone) {
      res.status(exception.status).json(operationOutcome([{ code: exception instanceof LinkGone ? 'expired' : 'forbidden', diagnostics: exception.message }]));
      return;
    }
    const { status, body } = cdsErrorResponse(exception);
    res.status(status).json(body);
  }
}

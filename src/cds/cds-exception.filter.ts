import { type ArgumentsHost, Catch, type ExceptionFilter, HttpException, HttpStatus, Logger } from '@nestjs/common';
import type { Response } from 'express';
import { AppError, errorName } from '../http/app-error.js';
import { operationOutcome, type IssueCode, type OperationOutcome } from '../http/operation-outcome.js';

const CODE_BY_STATUS: Record<number, IssueCode> = { 400: 'invalid', 403: 'forbidden', 404: 'not-found', 413: 'too-long' };

/**
 * The status and OperationOutcome an error is answered with on the CDS transport (the hook
 * endpoints and signed feedback URLs): every AppError as its issues, whichever folder raised it
 * (prefetch's 412, a link's 403/410, the 401 of CDS client authentication); the framework's own
 * 4xx by status; anything else a bare 500.
 */
export function cdsErrorResponse(e: unknown): { status: number; body: OperationOutcome } {
  if (e instanceof AppError) return { status: e.status, body: operationOutcome(e.issues()) };
  if (e instanceof HttpException && e.getStatus() < 500) {
    const status = e.getStatus();
    // Trusting CDS Clients / best practices: a 401 says nothing about why.
    if (status === HttpStatus.UNAUTHORIZED) return { status, body: operationOutcome([{ code: 'login' }]) };
    return { status, body: operationOutcome([{ code: CODE_BY_STATUS[status] ?? 'processing', diagnostics: e.message }]) };
  }
  return { status: 500, body: operationOutcome([{ code: 'exception', diagnostics: 'internal error' }]) };
}

/** The one exception filter of the CDS transport: every error becomes an OperationOutcome, never a stack trace. */
@Catch()
export class CdsExceptionFilter implements ExceptionFilter {
  private readonly logger = new Logger('CdsTransport');

  catch(exception: unknown, host: ArgumentsHost): void {
    const { status, body } = cdsErrorResponse(exception);
    // Our own 500s are logged where they are raised, with what went wrong.
    if (status === 500 && !(exception instanceof AppError)) this.logger.error(`CDS request failed: ${errorName(exception)}`);
    host.switchToHttp().getResponse<Response>().status(status).type('application/json').json(body);
  }
}

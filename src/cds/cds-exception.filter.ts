import { type ArgumentsHost, Catch, type ExceptionFilter, HttpException, HttpStatus, Logger } from '@nestjs/common';
import type { Response } from 'express';
import { CdsError } from './cds-errors.js';
import { operationOutcome, type IssueCode, type OperationOutcome } from '../http/operation-outcome.js';

/** A 412 from prefetch resolution (§Prefetch: "required data cannot be obtained"), whichever module raised it. */
function isPreconditionFailed(e: unknown): boolean {
  return typeof e === 'object' && e !== null && ((e as { status?: unknown }).status === 412 || (e as { name?: unknown }).name === 'PreconditionFailed');
}

const CODE_BY_STATUS: Record<number, IssueCode> = { 400: 'invalid', 403: 'forbidden', 404: 'not-found', 413: 'too-long' };

/** The status and OperationOutcome an error is answered with on the CDS transport. */
export function cdsErrorResponse(e: unknown): { status: number; body: OperationOutcome } {
  if (e instanceof CdsError) return { status: e.status, body: operationOutcome(e.issues()) };
  if (isPreconditionFailed(e)) {
    // PreconditionFailed's message names the missing prefetch keys only (src/fhir/prefetch-errors.ts).
    const diagnostics = e instanceof Error ? e.message : 'required prefetch data could not be obtained';
    return { status: 412, body: operationOutcome([{ code: 'processing', diagnostics }]) };
  }
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
    if (status === 500 && !(exception instanceof CdsError)) this.logger.error(exception instanceof Error ? (exception.stack ?? exception.name) : 'non-error thrown');
    host.switchToHttp().getResponse<Response>().status(status).type('application/json').json(body);
  }
}

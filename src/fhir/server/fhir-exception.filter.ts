import { type ArgumentsHost, Catch, type ExceptionFilter, HttpException, Logger } from '@nestjs/common';
import type { Response } from 'express';
import { AppError, errorName } from '../../http/app-error.js';
import { operationOutcome, type OperationOutcome } from '../../http/operation-outcome.js';
import { OverrideRequired } from './fhir-errors.js';

/** A /fhir error response: status, RFC 6750 challenge when the token is the problem, OperationOutcome. */
export interface FhirErrorResponse {
  status: number;
  headers: Record<string, string>;
  body: OperationOutcome;
}

/** RFC 6750 §3.1: a refused bearer token says why, `invalid_token` (401) or `insufficient_scope` (403). */
function bearerChallenge(e: AppError): Record<string, string> {
  if (e instanceof OverrideRequired) return { 'WWW-Authenticate': e.challenge() };
  if (e.issueType === 'login') return { 'WWW-Authenticate': 'Bearer error="invalid_token"' };
  if (e.issueType === 'forbidden') return { 'WWW-Authenticate': 'Bearer error="insufficient_scope"' };
  return {};
}

/** The FHIR transport: every AppError as its OperationOutcome issues, the framework's 4xx as `invalid`, anything else a bare 500. */
export function fhirErrorResponse(e: unknown): FhirErrorResponse {
  if (e instanceof AppError) return { status: e.status, headers: bearerChallenge(e), body: operationOutcome(e.issues()) };
  if (e instanceof HttpException && e.getStatus() < 500) {
    return { status: e.getStatus(), headers: {}, body: operationOutcome([{ code: 'invalid', diagnostics: e.message }]) };
  }
  return { status: 500, headers: {}, body: operationOutcome([{ code: 'exception', diagnostics: 'internal error' }]) };
}

/** The one exception filter of /fhir: FHIR JSON, never a stack trace. */
@Catch()
export class FhirExceptionFilter implements ExceptionFilter {
  private readonly logger = new Logger('FhirServer');

  catch(exception: unknown, host: ArgumentsHost): void {
    const { status, headers, body } = fhirErrorResponse(exception);
    if (status === 500 && !(exception instanceof AppError)) this.logger.error(`FHIR request failed: ${errorName(exception)}`);
    const res = host.switchToHttp().getResponse<Response>();
    res.setHeader('Content-Type', 'application/fhir+json; charset=utf-8');
    res.set(headers).status(status).send(JSON.stringify(body));
  }
}

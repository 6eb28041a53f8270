import { type ArgumentsHost, Catch, type ExceptionFilter, HttpException, Logger } from '@nestjs/common';
import type { Response } from 'express';
import { operationOutcome } from '../../http/operation-outcome.js';
import { InvalidToken } from '../../smart/oauth-errors.js';
import { FhirIssue, LoginIssue, ForbiddenIssue } from './fhir-errors.js';

/** The FHIR transport: every failure is an OperationOutcome; 401/403 carry RFC 6750 `WWW-Authenticate`. */
@Catch()
export class FhirExceptionFilter implements ExceptionFilter {
  private readonly logger = new Logger('FhirServer');

  catch(thrown: unknown, host: ArgumentsHost): void {
    // The bearer guard is the authorization server's; at /fhir its refusal is a FHIR `login` issue.
    const exception = thrown instanceof InvalidToken ? new LoginIssue(thrown.description) : thrown;
    const res = host.switchToHttp().getResponse<Response>();
    res.setHeader('Content-Type', 'application/fhir+json; charset=utf-8');
    if (exception instanceof FhirIssue) {
      if (exception instanceof LoginIssue) res.setHeader('WWW-Authenticate', 'Bearer error="invalid_token"');
      if (exception instanceof ForbiddenIssue) res.setHeader('WWW-Authenticate', 'Bearer error="insufficient_scope"');
      res.status(exception.status).send(JSON.stringify(operationOutcome([{ code: exception.code, diagnostics: exception.message }])));
      return;
    }
    if (exception instanceof HttpException && exception.getStatus() < 500) {
      res.status(exception.getStatus()).send(JSON.stringify(operationOutcome([{ code: 'invalid', diagnostics: exception.message }])));
      return;
    }
    this.logger.error(`FHIR request failed: ${(exception as Error)?.name ?? 'unknown error'}`);
    res.status(500).send(JSON.stringify(operationOutcome([{ code: 'exception', diagnostics: 'internal error' }])));
  }
}

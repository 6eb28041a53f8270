import { BadRequestException, NotFoundException } from '@nestjs/common';
import { InvalidToken } from '../../smart/oauth-errors.js';
import { ForbiddenIssue, InvalidIssue, NotFoundIssue, UpstreamIssue } from './fhir-errors.js';
import { fhirErrorResponse } from './fhir-exception.filter.js';

const outcome = (...issue: Record<string, unknown>[]) => ({ resourceType: 'OperationOutcome', issue });

describe('fhirErrorResponse', () => {
  it('T15 a refused bearer token (the authorization server\'s InvalidToken) → 401 login with the RFC 6750 invalid_token challenge', () => {
    expect(fhirErrorResponse(new InvalidToken('a valid, unexpired access token for this server is required'))).toEqual({
      status: 401,
      headers: { 'WWW-Authenticate': 'Bearer error="invalid_token"' },
      body: outcome({ severity: 'error', code: 'login', diagnostics: 'a valid, unexpired access token for this server is required' }),
    });
  });

  it('ForbiddenIssue → 403 forbidden with the RFC 6750 insufficient_scope challenge', () => {
    expect(fhirErrorResponse(new ForbiddenIssue('the access token has no read scope for Observation'))).toEqual({
      status: 403,
      headers: { 'WWW-Authenticate': 'Bearer error="insufficient_scope"' },
      body: outcome({ severity: 'error', code: 'forbidden', diagnostics: 'the access token has no read scope for Observation' }),
    });
  });

  it.each([
    ['NotFoundIssue', new NotFoundIssue('Patient/x is not known'), 404, 'not-found'],
    ['InvalidIssue', new InvalidIssue('the body must be a Patient resource'), 400, 'invalid'],
    ['UpstreamIssue (its message names the interaction, never the upstream body)', new UpstreamIssue('upstream FHIR server failed'), 502, 'exception'],
  ])('%s → its status and issue, no challenge', (_, e, status, code) => {
    expect(fhirErrorResponse(e)).toEqual({ status, headers: {}, body: outcome({ severity: 'error', code, diagnostics: e.message }) });
  });

  it('the framework\'s 4xx → invalid with its message', () => {
    expect(fhirErrorResponse(new BadRequestException('bad'))).toEqual({ status: 400, headers: {}, body: outcome({ severity: 'error', code: 'invalid', diagnostics: 'bad' }) });
    expect(fhirErrorResponse(new NotFoundException('no route'))).toMatchObject({ status: 404, body: outcome({ severity: 'error', code: 'invalid', diagnostics: 'no route' }) });
  });

  it('any unexpected error → 500 without detail', () => {
    expect(fhirErrorResponse(new Error('connection to 10.0.0.3 refused'))).toEqual({
      status: 500,
      headers: {},
      body: outcome({ severity: 'error', code: 'exception', diagnostics: 'internal error' }),
    });
  });
});

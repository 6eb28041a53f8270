import { ForbiddenException, UnauthorizedException } from '@nestjs/common';
import { InvalidCardError, InvalidRequestError, UnknownServiceError } from './cds-errors.js';
import { cdsErrorResponse } from './cds-exception.filter.js';

class PreconditionFailed extends Error {
  override name = 'PreconditionFailed';
}

describe('cdsErrorResponse', () => {
  it('maps our errors to their status and issues', () => {
    expect(cdsErrorResponse(new InvalidRequestError([{ path: 'hook', message: 'hook must be a string' }]))).toEqual({
      status: 400,
      body: { resourceType: 'OperationOutcome', issue: [{ severity: 'error', code: 'invalid', diagnostics: 'hook: hook must be a string', expression: ['hook'] }] },
    });
    expect(cdsErrorResponse(new UnknownServiceError()).status).toBe(404);
  });

  it('§Prefetch: a PreconditionFailed (by name or status 412) from prefetch → 412 processing', () => {
    for (const e of [new PreconditionFailed('required prefetch data could not be obtained: meds'), Object.assign(new Error('required prefetch data could not be obtained: meds'), { status: 412 })]) {
      expect(cdsErrorResponse(e)).toEqual({
        status: 412,
        body: { resourceType: 'OperationOutcome', issue: [{ severity: 'error', code: 'processing', diagnostics: 'required prefetch data could not be obtained: meds' }] },
      });
    }
  });

  it('401 says nothing about why (best practices: JWT)', () => {
    expect(cdsErrorResponse(new UnauthorizedException('bad aud'))).toEqual({ status: 401, body: { resourceType: 'OperationOutcome', issue: [{ severity: 'error', code: 'login' }] } });
    expect(cdsErrorResponse(new ForbiddenException()).body.issue[0].code).toBe('forbidden');
  });

  it('an invalid card or any unexpected error → 500 without detail', () => {
    expect(cdsErrorResponse(new InvalidCardError('summary', 'cards[0].summary')).body.issue).toEqual([
      { severity: 'error', code: 'exception', diagnostics: 'service produced an invalid card' },
    ]);
    expect(cdsErrorResponse(new TypeError('secret detail at /x.ts:1:2'))).toEqual({
      status: 500,
      body: { resourceType: 'OperationOutcome', issue: [{ severity: 'error', code: 'exception', diagnostics: 'internal error' }] },
    });
  });
});

import { ForbiddenException, NotFoundException, PayloadTooLargeException, UnauthorizedException } from '@nestjs/common';
import { CdsClientUnauthorized } from '../ehr-auth/cds-client-rejected.js';
import { PreconditionFailed } from '../fhir/prefetch-errors.js';
import { LinkForbidden, LinkGone } from '../links/link-errors.js';
import { ContentTooLarge, MalformedInput, MalformedJson, UnreadableBody } from '../http/input-errors.js';
import { InvalidCardError, InvalidRequestError, ServiceFailedError, UnknownCardError, UnknownServiceError } from './cds-errors.js';
import { cdsErrorResponse } from './cds-exception.filter.js';

const outcome = (...issue: Record<string, unknown>[]) => ({ resourceType: 'OperationOutcome', issue });

describe('cdsErrorResponse', () => {
  it.each([
    ['InvalidRequestError', new InvalidRequestError([{ path: 'hook', message: 'hook must be a string' }]), 400, { severity: 'error', code: 'invalid', diagnostics: 'hook: hook must be a string', expression: ['hook'] }],
    ['MalformedJson', new MalformedJson(), 400, { severity: 'error', code: 'structure', diagnostics: 'request body is not valid JSON' }],
    ['ContentTooLarge', new ContentTooLarge('request body is too large'), 413, { severity: 'error', code: 'too-long', diagnostics: 'request body is too large' }],
    ['UnreadableBody', new UnreadableBody(415), 415, { severity: 'error', code: 'structure', diagnostics: 'request body could not be read' }],
    ['MalformedInput', new MalformedInput('context.patientId contains a NUL', 'context.patientId'), 400, { severity: 'error', code: 'invalid', diagnostics: 'context.patientId contains a NUL', expression: ['context.patientId'] }],
    ['UnknownServiceError', new UnknownServiceError(), 404, { severity: 'error', code: 'not-found', diagnostics: 'no CDS service with this id' }],
    ['UnknownCardError', new UnknownCardError(2), 404, { severity: 'error', code: 'not-found', diagnostics: 'feedback[2].card: no such card was issued by this service' }],
    // The rule and path of a bad card are logged where it is raised, never sent.
    ['InvalidCardError', new InvalidCardError('summary', 'cards[0].summary'), 500, { severity: 'error', code: 'exception', diagnostics: 'service produced an invalid card' }],
    ['ServiceFailedError', new ServiceFailedError(), 500, { severity: 'error', code: 'exception', diagnostics: 'service failed' }],
  ])('%s → its status and issue', (_, e, status, issue) => {
    expect(cdsErrorResponse(e)).toEqual({ status, body: outcome(issue) });
  });

  it('lists one issue per bad field, each with its expression', () => {
    const e = new InvalidRequestError([
      { path: 'hook', message: 'must be a string' },
      { path: 'context.patientId', message: 'is required' },
    ]);
    expect(cdsErrorResponse(e).body.issue.map((i) => i.expression)).toEqual([['hook'], ['context.patientId']]);
  });

  it('P1 §Prefetch: prefetch resolution\'s PreconditionFailed → 412 processing, naming the keys only', () => {
    expect(cdsErrorResponse(new PreconditionFailed(['meds', 'allergies']))).toEqual({
      status: 412,
      body: outcome({ severity: 'error', code: 'processing', diagnostics: 'required prefetch data could not be obtained: meds, allergies' }),
    });
  });

  it('an error that only looks like a PreconditionFailed (name or status 412) is unexpected → 500', () => {
    const lookalike = Object.assign(new Error('required prefetch data could not be obtained: meds'), { name: 'PreconditionFailed', status: 412 });
    expect(cdsErrorResponse(lookalike).status).toBe(500);
  });

  it('N9 a refused CDS client → 401 login without any detail', () => {
    expect(cdsErrorResponse(new CdsClientUnauthorized())).toEqual({ status: 401, body: outcome({ severity: 'error', code: 'login' }) });
  });

  it('signed feedback URLs: a bad link → 403 forbidden, an old one → 410 expired', () => {
    expect(cdsErrorResponse(new LinkForbidden('bad signature'))).toEqual({ status: 403, body: outcome({ severity: 'error', code: 'forbidden', diagnostics: 'This link is not valid.' }) });
    expect(cdsErrorResponse(new LinkGone())).toEqual({
      status: 410,
      body: outcome({ severity: 'error', code: 'expired', diagnostics: 'This link has expired. Open the patient chart again to get current guidance.' }),
    });
  });

  it('the framework\'s 4xx by status; its 401 says nothing about why (best practices: JWT)', () => {
    expect(cdsErrorResponse(new UnauthorizedException('bad aud'))).toEqual({ status: 401, body: outcome({ severity: 'error', code: 'login' }) });
    expect(cdsErrorResponse(new ForbiddenException('no'))).toEqual({ status: 403, body: outcome({ severity: 'error', code: 'forbidden', diagnostics: 'no' }) });
    expect(cdsErrorResponse(new NotFoundException('gone'))).toEqual({ status: 404, body: outcome({ severity: 'error', code: 'not-found', diagnostics: 'gone' }) });
    expect(cdsErrorResponse(new PayloadTooLargeException('big'))).toEqual({ status: 413, body: outcome({ severity: 'error', code: 'too-long', diagnostics: 'big' }) });
  });

  it('any unexpected error → 500 without detail', () => {
    expect(cdsErrorResponse(new TypeError('secret detail at /x.ts:1:2'))).toEqual({ status: 500, body: outcome({ severity: 'error', code: 'exception', diagnostics: 'internal error' }) });
    expect(cdsErrorResponse('a string')).toEqual({ status: 500, body: outcome({ severity: 'error', code: 'exception', diagnostics: 'internal error' }) });
  });
});

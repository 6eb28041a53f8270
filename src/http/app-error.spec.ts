import { AppError, errorName, TemporarilyUnavailable } from './app-error.js';

class Teapot extends AppError {
  readonly code = 'teapot';
  readonly status = 418;
  readonly issueType = 'processing';
}

class Broken extends AppError {
  readonly code = 'broken';
  readonly status = 500;
  readonly issueType = 'exception';
}

describe(AppError.name, () => {
  it('is named after its class, never redirects and shows a client error\'s message by default', () => {
    const e = new Teapot('short and stout');
    expect([e.name, e.allowRedirect, e.expose]).toEqual(['Teapot', false, true]);
    expect(e.issues()).toEqual([{ code: 'processing', diagnostics: 'short and stout' }]);
  });

  it('hides a server error\'s message', () => {
    const e = new Broken('pool exhausted at 10.0.0.3');
    expect(e.expose).toBe(false);
    expect(e.issues()).toEqual([{ code: 'exception' }]);
  });

  it('puts details and extension on its issue', () => {
    const details = { coding: [{ system: 'https://hw.test/fhir/CodeSystem/override', code: 'override-required' }] };
    const extension = [{ url: 'https://hw.test/fhir/StructureDefinition/override-request', extension: [{ url: 'level', valueCode: 'confirm' }] }];
    expect(new Teapot('needs an override', { details, extension }).issues()).toEqual([{ code: 'processing', details, diagnostics: 'needs an override', extension }]);
  });
});

describe(TemporarilyUnavailable.name, () => {
  it('is a 503 `temporarily_unavailable` / `transient` whose message may be shown and which the authorize endpoint may redirect', () => {
    const e = new TemporarilyUnavailable();
    expect([e.status, e.code, e.issueType, e.expose, e.allowRedirect]).toEqual([503, 'temporarily_unavailable', 'transient', true, true]);
  });
});

describe('errorName', () => {
  it('logs an error by its name only', () => {
    expect(errorName(new RangeError('patient 123'))).toBe('RangeError');
    expect(errorName('patient 123')).toBe('string');
  });
});

import { cdsErrorResponse } from '../cds/cds-exception.filter.js';
import { fhirErrorResponse } from '../fhir/server/fhir-exception.filter.js';
import { linkPage } from '../links/link-page.filter.js';
import { AuthorizeRedirectError } from '../smart/authorize-checks.js';
import { authorizeErrorResponse } from '../smart/authorize-exception.filter.js';
import { oauthErrorResponse } from '../smart/oauth-exception.filter.js';
import { errorPage } from '../smart/pages.js';
import { TemporarilyUnavailable } from './app-error.js';

// The seam for a database outage: whoever notices one throws TemporarilyUnavailable, and every
// transport answers 503 in its own shape instead of a bare 500.
describe('TemporarilyUnavailable on every transport', () => {
  const e = new TemporarilyUnavailable();
  const message = 'The service is temporarily unavailable. Please try again in a moment.';
  const outcome = { resourceType: 'OperationOutcome', issue: [{ severity: 'error', code: 'transient', diagnostics: message }] };

  it('CDS: 503 OperationOutcome, IssueType transient', () => {
    expect(cdsErrorResponse(e)).toEqual({ status: 503, body: outcome });
  });

  it('/fhir: 503 OperationOutcome, IssueType transient, no bearer challenge', () => {
    expect(fhirErrorResponse(e)).toEqual({ status: 503, headers: {}, body: outcome });
  });

  it('OAuth JSON: 503 temporarily_unavailable', () => {
    expect(oauthErrorResponse(e)).toEqual({ status: 503, headers: {}, body: { error: 'temporarily_unavailable', error_description: message } });
  });

  it('authorization pages: 503 page, or back to a trusted redirect_uri as temporarily_unavailable (RFC 6749 §4.1.2.1)', () => {
    expect(authorizeErrorResponse(e, 'https://hw.test/fhir')).toEqual({ status: 503, html: errorPage(message) });
    const redirect = authorizeErrorResponse(new AuthorizeRedirectError('https://app.test/cb', 's', e), 'https://hw.test/fhir');
    expect(redirect).toEqual({
      status: 303,
      location: `https://app.test/cb?error=temporarily_unavailable&error_description=${new URLSearchParams({ d: message }).toString().slice(2)}&state=s&iss=https%3A%2F%2Fhw.test%2Ffhir`,
    });
  });

  it('card link pages: 503 page', () => {
    expect(linkPage(e)).toEqual({ status: 503, title: 'Temporarily unavailable', message });
  });
});

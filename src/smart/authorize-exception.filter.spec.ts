import { ContentTooLarge, MalformedInput } from '../http/input-errors.js';
import { AuthorizeRedirectError } from './authorize-checks.js';
import { authorizeErrorResponse } from './authorize-exception.filter.js';
import { AccessDenied, AuthorizePageError, CsrfRejected, InvalidClient, InvalidRequest, InvalidScope, UnauthorizedClient, UnsupportedResponseType } from './oauth-errors.js';
import { errorPage } from './pages.js';

const ISSUER = 'https://hw.test/fhir';
const REDIRECT = 'https://app.test/cb?keep=1';

describe('authorizeErrorResponse', () => {
  it.each([
    new InvalidRequest('code_challenge is required'),
    new InvalidScope('scope is required'),
    new UnsupportedResponseType('only response_type=code is supported'),
    new UnauthorizedClient('this client may not use this flow'),
    new AccessDenied('the user denied access'),
  ])('A4 A10 A17 %s after the redirect_uri was trusted → 303 with error, error_description, byte-exact state and iss', (e) => {
    const answer = authorizeErrorResponse(new AuthorizeRedirectError(REDIRECT, 'a&b ü', e), ISSUER);
    expect(answer.status).toBe(303);
    const location = new URL((answer as { location: string }).location);
    expect(location.origin + location.pathname).toBe('https://app.test/cb');
    expect([...location.searchParams]).toEqual([
      ['keep', '1'],
      ['error', e.code],
      ['error_description', e.message],
      ['state', 'a&b ü'],
      ['iss', ISSUER],
    ]);
  });

  it('an error that does not allow a redirect is never redirected, even when wrapped (RFC 6749 §4.1.2.1)', () => {
    expect(authorizeErrorResponse(new AuthorizeRedirectError(REDIRECT, 's', new InvalidClient('unknown client')), ISSUER)).toEqual({
      status: 401,
      html: errorPage('unknown client'),
    });
  });

  it('A2 A3 an unknown client or unregistered redirect_uri → 400 page with the reason', () => {
    expect(authorizeErrorResponse(new AuthorizePageError('The redirect_uri is not registered for this client.'), ISSUER)).toEqual({
      status: 400,
      html: errorPage('The redirect_uri is not registered for this client.'),
    });
  });

  it('A13 a rejected interaction form → 403 page', () => {
    expect(authorizeErrorResponse(new CsrfRejected(), ISSUER)).toEqual({ status: 403, html: errorPage('This form has expired or was already submitted. Start again from the app.') });
  });

  it.each([
    [new MalformedInput('query.state contains a NUL character', 'query.state'), 400],
    [new ContentTooLarge('request body is too large'), 413],
  ])('an input refused at the edge (%s) → its 4xx as a page, never a redirect: the redirect_uri was not checked yet', (e, status) => {
    expect(authorizeErrorResponse(e, ISSUER)).toEqual({ status, html: errorPage('The request carries characters or data this server cannot accept.') });
  });

  it('any unexpected error → 500 page without detail', () => {
    expect(authorizeErrorResponse(new Error('relation "smart_transactions" does not exist'), ISSUER)).toEqual({ status: 500, html: errorPage('Something went wrong.') });
  });
});

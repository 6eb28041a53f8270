import { BadRequestException } from '@nestjs/common';
import { ContentTooLarge, MalformedInput, MalformedJson } from '../http/input-errors.js';
import {
  AccessDenied,
  InvalidClient,
  InvalidGrant,
  InvalidRequest,
  InvalidScope,
  InvalidToken,
  UnauthorizedClient,
  UnsupportedGrantType,
  UnsupportedResponseType,
  UnsupportedTokenType,
} from './oauth-errors.js';
import { oauthErrorResponse } from './oauth-exception.filter.js';

describe('oauthErrorResponse (RFC 6749 §5.2)', () => {
  it.each([
    [new InvalidRequest('grant_type is required'), 400, 'invalid_request'],
    [new InvalidClient('unknown client'), 401, 'invalid_client'],
    [new InvalidGrant('code expired'), 400, 'invalid_grant'],
    [new UnauthorizedClient('client_credentials requires private_key_jwt'), 400, 'unauthorized_client'],
    [new UnsupportedGrantType('grant_type password is not supported'), 400, 'unsupported_grant_type'],
    [new InvalidScope('scope is required'), 400, 'invalid_scope'],
    [new UnsupportedResponseType('only response_type=code is supported'), 400, 'unsupported_response_type'],
    [new AccessDenied('the user denied access'), 400, 'access_denied'],
    [new UnsupportedTokenType('token_type_hint is not supported'), 400, 'unsupported_token_type'],
    [new InvalidToken('bearer token expired'), 401, 'invalid_token'],
  ])('%s → %i {error: %s, error_description}', (e, status, error) => {
    expect(oauthErrorResponse(e)).toEqual({ status, headers: {}, body: { error, error_description: e.message } });
  });

  it('T8 invalid_client after HTTP Basic carries a Basic challenge', () => {
    expect(oauthErrorResponse(new InvalidClient('client authentication failed', true))).toEqual({
      status: 401,
      headers: { 'WWW-Authenticate': 'Basic realm="hookwarden"' },
      body: { error: 'invalid_client', error_description: 'client authentication failed' },
    });
  });

  it('the framework\'s own 4xx → 400 invalid_request with its message', () => {
    expect(oauthErrorResponse(new BadRequestException('bad form'))).toEqual({ status: 400, headers: {}, body: { error: 'invalid_request', error_description: 'bad form' } });
  });

  it.each([
    [new MalformedInput('state contains a NUL character', 'state'), 400],
    [new MalformedJson(), 400],
    [new ContentTooLarge('request body is too large'), 413],
  ])('an input refused at the edge (%s) → its 4xx with invalid_request', (e, status) => {
    expect(oauthErrorResponse(e)).toEqual({ status, headers: {}, body: { error: 'invalid_request', error_description: e.message } });
  });

  it('any unexpected error → 500 server_error without a description', () => {
    expect(oauthErrorResponse(new Error('database password is hunter2'))).toEqual({ status: 500, headers: {}, body: { error: 'server_error' } });
  });
});

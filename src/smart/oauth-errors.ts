/**
 * OAuth 2.0 errors, one class per RFC 6749 §5.2 / RFC 7009 §2.2.1 error code. The OAuth exception
 * filter renders them as JSON; the authorize endpoint turns them into redirects.
 */
export abstract class OAuthError extends Error {
  abstract readonly error: string;
  readonly status: number = 400;
  constructor(readonly description: string) {
    super(description);
  }
}

/** RFC 6749 §5.2 `invalid_request`. */
export class InvalidRequest extends OAuthError {
  readonly error = 'invalid_request';
}

/** RFC 6749 §5.2 `invalid_client`: 401, with `WWW-Authenticate` when the client used the Authorization header. */
export class InvalidClient extends OAuthError {
  readonly error = 'invalid_client';
  override readonly status = 401;
  constructor(
    description: string,
    readonly usedBasic = false,
  ) {
    super(description);
  }
}

/** RFC 6749 §5.2 `invalid_grant`. */
export class InvalidGrant extends OAuthError {
  readonly error = 'invalid_grant';
}

/** RFC 6749 §5.2 `unauthorized_client`. */
export class UnauthorizedClient extends OAuthError {
  readonly error = 'unauthorized_client';
}

/** RFC 6749 §5.2 `unsupported_grant_type`. */
export class UnsupportedGrantType extends OAuthError {
  readonly error = 'unsupported_grant_type';
}

/** RFC 6749 §5.2 / §4.1.2.1 `invalid_scope`. */
export class InvalidScope extends OAuthError {
  readonly error = 'invalid_scope';
}

/** RFC 6749 §4.1.2.1 `unsupported_response_type`. */
export class UnsupportedResponseType extends OAuthError {
  readonly error = 'unsupported_response_type';
}

/** RFC 6749 §4.1.2.1 `access_denied`. */
export class AccessDenied extends OAuthError {
  readonly error = 'access_denied';
}

/** RFC 7009 §2.2.1 `unsupported_token_type`. */
export class UnsupportedTokenType extends OAuthError {
  readonly error = 'unsupported_token_type';
}

/**
 * An authorization request that cannot be redirected back (unknown client, unregistered
 * redirect_uri): RFC 6749 §4.1.2.1 says inform the resource owner, never redirect.
 */
export class AuthorizePageError extends Error {
  constructor(readonly description: string) {
    super(description);
  }
}

/** RFC 6750 §3.1 `invalid_token`: a missing, expired, revoked or foreign bearer token at the resource server. */
export class InvalidToken extends OAuthError {
  readonly error = 'invalid_token';
  override readonly status = 401;
}

/** A POSTed interaction form without a valid, unused CSRF token or transaction (RFC 6749 §10.12). */
export class CsrfRejected extends Error {}

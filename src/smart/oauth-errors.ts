import { AppError } from '../http/app-error.js';
import type { IssueCode } from '../http/operation-outcome.js';

/**
 * OAuth 2.0 errors, one class per RFC 6749 §4.1.2.1 / §5.2, RFC 6750 §3.1 and RFC 7009 §2.2.1 error
 * code. The OAuth exception filter renders them as JSON; the authorize endpoint redirects those that
 * allow it and shows a page for the rest.
 */
export abstract class OAuthError extends AppError {
  readonly status: number = 400;
  /** Where an OAuth error ends up in an OperationOutcome (only InvalidToken, at /fhir, says more). */
  readonly issueType: IssueCode = 'security';
}

/** RFC 6749 §5.2 / §4.1.2.1 `invalid_request`. */
export class InvalidRequest extends OAuthError {
  readonly code = 'invalid_request';
  override readonly allowRedirect = true;
}

/** RFC 6749 §5.2 `invalid_client`: 401, with `WWW-Authenticate` when the client used the Authorization header. */
export class InvalidClient extends OAuthError {
  readonly code = 'invalid_client';
  override readonly status = 401;
  constructor(
    message: string,
    readonly usedBasic = false,
  ) {
    super(message);
  }
}

/** RFC 6749 §5.2 `invalid_grant`. */
export class InvalidGrant extends OAuthError {
  readonly code = 'invalid_grant';
}

/** RFC 6749 §5.2 / §4.1.2.1 `unauthorized_client`. */
export class UnauthorizedClient extends OAuthError {
  readonly code = 'unauthorized_client';
  override readonly allowRedirect = true;
}

/** RFC 6749 §5.2 `unsupported_grant_type`. */
export class UnsupportedGrantType extends OAuthError {
  readonly code = 'unsupported_grant_type';
}

/** RFC 6749 §5.2 / §4.1.2.1 `invalid_scope`. */
export class InvalidScope extends OAuthError {
  readonly code = 'invalid_scope';
  override readonly allowRedirect = true;
}

/** RFC 6749 §4.1.2.1 `unsupported_response_type`. */
export class UnsupportedResponseType extends OAuthError {
  readonly code = 'unsupported_response_type';
  override readonly allowRedirect = true;
}

/** RFC 6749 §4.1.2.1 `access_denied`. */
export class AccessDenied extends OAuthError {
  readonly code = 'access_denied';
  override readonly allowRedirect = true;
}

/** RFC 7009 §2.2.1 `unsupported_token_type`. */
export class UnsupportedTokenType extends OAuthError {
  readonly code = 'unsupported_token_type';
}

/** RFC 6750 §3.1 `invalid_token`: a missing, expired, revoked or foreign bearer token at the resource server. */
export class InvalidToken extends OAuthError {
  readonly code = 'invalid_token';
  override readonly status = 401;
  override readonly issueType = 'login';
}

/**
 * An authorization request that cannot be redirected back (unknown client, unregistered
 * redirect_uri): RFC 6749 §4.1.2.1 says inform the resource owner, never redirect.
 */
export class AuthorizePageError extends OAuthError {
  readonly code = 'invalid_request';
}

/** A POSTed interaction form without a valid, unused CSRF token or transaction (RFC 6749 §10.12): a page, never a redirect. */
export class CsrfRejected extends OAuthError {
  readonly code = 'invalid_request';
  override readonly status = 403;
  constructor() {
    super('This form has expired or was already submitted. Start again from the app.');
  }
}

/**
 * Too many failed sign-ins or client authentications from this user, client or address: 429 with
 * `Retry-After` (RFC 6585 §4). The OAuth `error` is `temporarily_unavailable` (RFC 6749 §4.1.2.1: the
 * server cannot handle the request now), so clients that only know RFC 6749 codes still retry later.
 */
export class TooManyAttempts extends OAuthError {
  readonly code = 'temporarily_unavailable';
  override readonly status = 429;
  constructor(readonly retryAfterSeconds: number) {
    super(`Too many failed attempts. Try again in ${retryAfterSeconds} seconds.`);
  }
}

import { OAuthError } from '../oauth-errors.js';

/**
 * An upstream sign-in that does not sign anyone in here (RFC 6749 §4.1.2.1 `access_denied`): the provider
 * refused, its answer failed validation, or the person is not allowed or not linked. Shown as a page.
 */
export class SignInRefused extends OAuthError {
  readonly code = 'access_denied';
  override readonly status = 403;
}

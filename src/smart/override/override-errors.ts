import { OAuthError } from '../oauth-errors.js';

/** RFC 9396 §5 `invalid_authorization_details`: sent back to the client's redirect_uri. */
export class InvalidAuthorizationDetails extends OAuthError {
  readonly code = 'invalid_authorization_details';
  override readonly allowRedirect = true;
}

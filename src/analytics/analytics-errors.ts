import { OAuthError } from '../smart/oauth-errors.js';

/**
 * RFC 6750 §3.1 `insufficient_scope` (403): a valid token that may not read analytics, because it
 * lacks `analytics.read` or its user is not an analyst (DESIGN.md §Analytics contract).
 */
export class InsufficientScope extends OAuthError {
  readonly code = 'insufficient_scope';
  override readonly status = 403;
}

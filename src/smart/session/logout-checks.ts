import type { SmartClientConfig } from '../../config/app-config.js';

/** The parameters of an RP-initiated logout request (OIDC RP-Initiated Logout 1.0 §2). */
export interface LogoutParams {
  client_id?: unknown;
  post_logout_redirect_uri?: unknown;
  state?: unknown;
}

/**
 * OIDC RP-Initiated Logout 1.0 §3: the OP redirects only to a `post_logout_redirect_uri` the client named
 * by `client_id` registered, compared exactly, with `state` passed back; anything else shows a signed-out
 * page instead (never an open redirector, RFC 9700 §4.11).
 */
export function postLogoutRedirect(params: LogoutParams, clients: readonly SmartClientConfig[]): string | undefined {
  const { client_id: clientId, post_logout_redirect_uri: uri, state } = params;
  if (typeof clientId !== 'string' || typeof uri !== 'string') return undefined;
  const client = clients.find((c) => c.clientId === clientId);
  if (!client?.postLogoutRedirectUris?.includes(uri)) return undefined;
  const target = new URL(uri);
  if (typeof state === 'string') target.searchParams.set('state', state);
  return target.toString();
}

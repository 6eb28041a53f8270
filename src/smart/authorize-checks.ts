import type { SmartClientConfig } from '../config/app-config.js';
import type { TemporarilyUnavailable } from '../http/app-error.js';
import { AuthorizePageError, InvalidRequest, InvalidScope, OAuthError, UnsupportedResponseType } from './oauth-errors.js';
import { scopeWords } from './grant-scopes.js';
import { type OAuthParams, param } from './oauth-params.js';

/** Raw authorization request parameters (query of a GET or form of a POST). */
export type AuthorizeParams = OAuthParams;

/** An authorization request that passed every check, in the order they run. */
export interface AuthorizeRequest {
  client: SmartClientConfig;
  redirectUri: string;
  /** Echoed byte-exact (SMART app-launch.md: "The exact value received from the client"). */
  state?: string;
  scope: string;
  codeChallenge: string;
  aud: string;
  nonce?: string;
  /** Present for an EHR launch. */
  launch?: string;
}

/**
 * An OAuth error raised after client and redirect_uri were validated, with where it goes: RFC 6749
 * §4.1.2.1 sends it back to the registered redirect_uri with `state` and RFC 9207 `iss` when the
 * error allows a redirect. Not an error of its own: the envelope the authorize transport unwraps.
 */
export class AuthorizeRedirectError extends Error {
  constructor(
    readonly redirectUri: string,
    readonly state: string | undefined,
    readonly oauth: OAuthError | TemporarilyUnavailable,
  ) {
    super(oauth.message);
  }
}

/** RFC 6749 §4.1.2.1: unknown client → error page, never a redirect. */
export function checkClient(params: AuthorizeParams, clients: readonly SmartClientConfig[]): SmartClientConfig {
  const id = param(params, 'client_id');
  const client = id === undefined ? undefined : clients.find((c) => c.clientId === id);
  if (!client) throw new AuthorizePageError('Unknown client.');
  return client;
}

/** RFC 9700 §2.1 / §4.1.3: exact string match against a registered redirect URI; else error page. */
export function checkRedirectUri(params: AuthorizeParams, client: SmartClientConfig): string {
  const uri = param(params, 'redirect_uri');
  if (uri === undefined || !client.redirectUris.includes(uri)) throw new AuthorizePageError('The redirect_uri is not registered for this client.');
  return uri;
}

/** RFC 6749 §4.1.1 / RFC 9700 §2.1.2: only the authorization code flow. */
export function checkResponseType(params: AuthorizeParams): void {
  const type = param(params, 'response_type');
  if (type === undefined) throw new InvalidRequest('response_type is required');
  if (type !== 'code') throw new UnsupportedResponseType('only response_type=code is supported');
}

/** SMART app-launch.md: PKCE required, S256 only, `plain` forbidden (RFC 7636 §4.2, §4.4.1). */
export function checkPkce(params: AuthorizeParams): string {
  const challenge = param(params, 'code_challenge');
  const method = param(params, 'code_challenge_method');
  if (challenge === undefined) throw new InvalidRequest('code_challenge is required');
  if (method !== 'S256') throw new InvalidRequest('code_challenge_method must be S256');
  // RFC 7636 §4.2: BASE64URL of a SHA-256 digest is exactly 43 characters.
  if (!/^[A-Za-z0-9_-]{43}$/.test(challenge)) throw new InvalidRequest('code_challenge is not an S256 challenge');
  return challenge;
}

/** SMART app-launch.md `aud` (RFC 8707 `resource` as synonym): must be our FHIR base, byte-exact. */
export function checkAudience(params: AuthorizeParams, fhirBase: string): string {
  const aud = param(params, 'aud') ?? param(params, 'resource');
  if (aud !== fhirBase) throw new InvalidRequest('aud must be this server\'s FHIR base URL');
  return aud;
}

/** SMART app-launch.md: `scope` is required. */
export function checkScope(params: AuthorizeParams): string {
  const scope = param(params, 'scope')?.trim();
  if (!scope) throw new InvalidScope('scope is required');
  return scope;
}

/** SMART app-launch.md: an EHR launch requests scope `launch` and carries the `launch` value it received. */
export function checkLaunch(params: AuthorizeParams, scope: string): string | undefined {
  const launch = param(params, 'launch');
  const wantsLaunch = scopeWords(scope).includes('launch');
  if (wantsLaunch && !launch) throw new InvalidRequest('scope launch requires the launch parameter');
  if (launch !== undefined && !wantsLaunch) throw new InvalidRequest('the launch parameter requires scope launch');
  return launch;
}

/**
 * Runs the authorization-request checks in order (client → redirect_uri → response_type → PKCE →
 * aud → scope → launch). Throws AuthorizePageError before the redirect is trusted and
 * AuthorizeRedirectError after.
 */
export function validateAuthorizeRequest(
  params: AuthorizeParams,
  clients: readonly SmartClientConfig[],
  fhirBase: string,
): AuthorizeRequest {
  const client = checkClient(params, clients);
  const redirectUri = checkRedirectUri(params, client);
  const state = param(params, 'state');
  try {
    checkResponseType(params);
    const codeChallenge = checkPkce(params);
    const aud = checkAudience(params, fhirBase);
    const scope = checkScope(params);
    const launch = checkLaunch(params, scope);
    return { client, redirectUri, state, scope, codeChallenge, aud, launch, nonce: param(params, 'nonce') };
  } catch (e) {
    if (e instanceof OAuthError && e.allowRedirect) throw new AuthorizeRedirectError(redirectUri, state, e);
    throw e;
  }
}

/** The redirect back to the client (RFC 6749 §4.1.2 / §4.1.2.1, RFC 9207 `iss`), appended to any existing query. */
export function redirectWith(redirectUri: string, params: Record<string, string | undefined>): string {
  const url = new URL(redirectUri);
  for (const [k, v] of Object.entries(params)) if (v !== undefined) url.searchParams.append(k, v);
  return url.toString();
}

import * as oauth from 'oauth4webapi';
import { APP_REDIRECT } from './smart-harness.js';

/** The parts of a refused write's OperationOutcome issue the override protocol reads (DESIGN.md "Refusal"). */
export interface OverrideIssue {
  severity: string;
  code: string;
  diagnostics?: string;
  details: { coding: { system: string; code: string }[]; text?: string };
  token: string;
  level: string;
  rule: string;
  authorize: string;
}

interface RawIssue {
  severity: string;
  code: string;
  diagnostics?: string;
  details?: { coding: { system: string; code: string }[]; text?: string };
  extension?: { url: string; extension?: { url: string; valueString?: string; valueCode?: string; valueUrl?: string }[] }[];
}

/** The override-request issues of an OperationOutcome, with the sub-extensions of `extensionUrl` read out. */
export function overrideIssues(outcome: { issue?: RawIssue[] }, extensionUrl: string): OverrideIssue[] {
  return (outcome.issue ?? []).flatMap((issue) => {
    const ext = issue.extension?.find((e) => e.url === extensionUrl)?.extension ?? [];
    const sub = (name: string) => {
      const e = ext.find((x) => x.url === name);
      return e?.valueString ?? e?.valueCode ?? e?.valueUrl ?? '';
    };
    if (ext.length === 0) return [];
    return [{ severity: issue.severity, code: issue.code, diagnostics: issue.diagnostics, details: issue.details!, token: sub('token'), level: sub('level'), rule: sub('rule'), authorize: sub('authorize') }];
  });
}

/** A browser's cookie jar, reduced to the one transaction cookie the authorization pages set. */
function cookieOf(res: Response): string | undefined {
  const set = res.headers.getSetCookie().find((c) => c.startsWith('hw_authz='));
  return set?.split(';')[0];
}

/** An interaction page as a user sees it: its HTML, its CSRF token and the transaction cookie. */
export interface OverridePage {
  url: string;
  status: number;
  html: string;
  csrf: string;
  cookie: string;
}

const csrfIn = (html: string): string => /name="csrf" value="([^"]+)"/.exec(html)?.[1] ?? '';

/**
 * oauth4webapi as the companion app's OAuth client: discovery from the FHIR base (`iss`), the authorization
 * request with RFC 9396 `authorization_details`, and the code exchange. The browser part (following the
 * redirect to the override page and submitting it) is plain fetch, like a user agent.
 */
export class OverrideClient {
  private constructor(
    readonly as: oauth.AuthorizationServer,
    readonly client: oauth.Client,
  ) {}

  static async discover(iss: string, clientId: string): Promise<OverrideClient> {
    const issuer = new URL(iss);
    const res = await oauth.discoveryRequest(issuer, { algorithm: 'oidc', [oauth.allowInsecureRequests]: true });
    return new OverrideClient(await oauth.processDiscoveryResponse(issuer, res), { client_id: clientId });
  }

  /** Starts an authorization: returns the URL and what the callback needs. */
  async authorizationUrl(params: Record<string, string>): Promise<{ url: URL; state: string; verifier: string }> {
    const verifier = oauth.generateRandomCodeVerifier();
    const state = oauth.generateRandomState();
    const url = new URL(this.as.authorization_endpoint!);
    const all = {
      response_type: 'code',
      client_id: this.client.client_id,
      redirect_uri: APP_REDIRECT,
      state,
      aud: this.as.issuer,
      code_challenge: await oauth.calculatePKCECodeChallenge(verifier),
      code_challenge_method: 'S256',
      ...params,
    };
    for (const [k, v] of Object.entries(all)) url.searchParams.set(k, v);
    return { url, state, verifier };
  }

  /** An override authorization request (DESIGN.md "Authorization"): `authorization_details` with the request tokens. */
  overrideUrl(tokens: string[], scope: string): Promise<{ url: URL; state: string; verifier: string }> {
    return this.authorizationUrl({ scope, authorization_details: JSON.stringify(tokens.map((t) => ({ type: 'hookwarden-override', override_request: t }))) });
  }

  /** The code exchange, validated by oauth4webapi (state, iss, token response shape). */
  async exchange(callback: string, state: string, verifier: string): Promise<oauth.TokenEndpointResponse> {
    const params = oauth.validateAuthResponse(this.as, this.client, new URL(callback), state);
    const res = await oauth.authorizationCodeGrantRequest(this.as, this.client, oauth.None(), params, APP_REDIRECT, verifier, { [oauth.allowInsecureRequests]: true });
    return oauth.processAuthorizationCodeResponse(this.as, this.client, res);
  }
}

/** The user agent: GET the authorization URL; a 303 to the redirect URI is returned as is, a 303 to a page is followed. */
export async function openAuthorization(url: URL, sessionCookie = ''): Promise<{ callback?: string; page?: OverridePage }> {
  const res = await fetch(url, { redirect: 'manual', headers: { cookie: sessionCookie } });
  const location = res.headers.get('location') ?? '';
  if (res.status !== 303) throw new Error(`authorize answered ${res.status}`);
  if (location.startsWith(APP_REDIRECT)) return { callback: location };
  const cookie = cookieOf(res) ?? '';
  return { page: await readPage(location, cookie) };
}

export async function readPage(location: string, cookie: string): Promise<OverridePage> {
  const res = await fetch(location, { headers: { cookie } });
  const html = await res.text();
  return { url: location, status: res.status, html, csrf: csrfIn(html), cookie };
}

/** Submits the override page; the answer is the redirect back to the app, or the page shown again. */
export async function submitPage(page: OverridePage, form: Record<string, string>): Promise<{ status: number; callback?: string; page?: OverridePage; retryAfter?: string | null }> {
  const res = await fetch(new URL('/auth/interaction', page.url), {
    method: 'POST',
    redirect: 'manual',
    headers: { cookie: page.cookie, 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ csrf: page.csrf, step: 'override', ...form }),
  });
  const location = res.headers.get('location') ?? '';
  if (res.status !== 303) return { status: res.status, retryAfter: res.headers.get('retry-after') };
  if (location.startsWith(APP_REDIRECT)) return { status: 303, callback: location };
  return { status: 303, page: await readPage(location, page.cookie) };
}

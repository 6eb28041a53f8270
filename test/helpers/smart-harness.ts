import { randomBytes, randomUUID, createHash } from 'node:crypto';
import { createServer } from 'node:net';
import { exportJWK, generateKeyPair, SignJWT, type CryptoKey, type JWK } from 'jose';
import smart from 'fhirclient';
import * as oidc from 'openid-client';
import request from 'supertest';
import type { AppConfig } from '../../src/config/app-config.js';
import { demoResources, hashPasswordSync } from '../../src/config/demo.js';
import { type LaunchBinding, LaunchService } from '../../src/smart/launch.service.js';
import { DATABASE, type Database } from '../../src/store/database.js';
import { buildTestConfig, createTestApp, TEST_PUBLIC_URL, type TestApp } from './test-app.js';

export const FHIR_BASE = `${TEST_PUBLIC_URL}/fhir`;
export const TOKEN_URL = `${TEST_PUBLIC_URL}/auth/token`;
export const APP_REDIRECT = 'https://app.test/callback';
export const CONF_REDIRECT = 'https://conf.test/cb';
export const CONF_SECRET = 'confidential-secret-0123456789';
export const PASSWORD = 'pa55word';

/** A PKCE pair (RFC 7636 §4.1–4.2). */
export function pkce(): { verifier: string; challenge: string } {
  const verifier = randomBytes(32).toString('base64url');
  return { verifier, challenge: createHash('sha256').update(verifier).digest('base64url') };
}

/**
 * The bundled medication-review app's EHR launch with a card's `launch` token: authorizes with PKCE S256
 * (expects the 303 with a code) and returns the code and its verifier.
 */
export async function authorizeBundledApp(server: TestApp['server'], launch: string, aud: string, redirectUri: string): Promise<{ code: string; verifier: string }> {
  const { verifier, challenge } = pkce();
  const authorize = await request(server)
    .get('/auth/authorize')
    .query({
      response_type: 'code',
      client_id: 'medication-review',
      redirect_uri: redirectUri,
      scope: 'launch openid fhirUser patient/MedicationRequest.rs',
      state: 'st',
      aud,
      launch,
      code_challenge: challenge,
      code_challenge_method: 'S256',
    })
    .expect(303);
  return { code: new URL(authorize.headers.location as string).searchParams.get('code') as string, verifier };
}

/** Redeems the bundled app's code at the token endpoint. */
export function redeemBundledApp(server: TestApp['server'], code: string, verifier: string, redirectUri: string): request.Test {
  return request(server).post('/auth/token').type('form').send({ grant_type: 'authorization_code', code, code_verifier: verifier, redirect_uri: redirectUri, client_id: 'medication-review' });
}

/** A private_key_jwt client key pair (SMART client-confidential-asymmetric.md). */
export interface ClientKey {
  kid: string;
  alg: 'RS384' | 'ES384';
  privateKey: CryptoKey;
  publicJwk: JWK;
}

export async function makeClientKey(alg: 'RS384' | 'ES384' = 'ES384', kid: string = randomUUID()): Promise<ClientKey> {
  const { privateKey, publicKey } = await generateKeyPair(alg, { extractable: true });
  return { kid, alg, privateKey, publicJwk: { ...(await exportJWK(publicKey)), kid, alg } };
}

/** A client assertion signed like Inferno does; claims/header overridable for negative tests. */
export async function clientAssertion(
  clientId: string,
  key: ClientKey,
  claims: Record<string, unknown> = {},
  header: Record<string, unknown> = {},
): Promise<string> {
  const now = Math.floor(Date.now() / 1000);
  return new SignJWT({ iss: clientId, sub: clientId, aud: TOKEN_URL, exp: now + 240, jti: randomUUID(), ...claims })
    .setProtectedHeader({ alg: key.alg, kid: key.kid, typ: 'JWT', ...header })
    .sign(key.privateKey);
}

export interface SmartTestApp extends TestApp {
  backendKey: ClientKey;
  launches: LaunchService;
}

/**
 * The real AppModule with four registered clients: `public-app` (public, auto-approve), `conf-app`
 * (client_secret_basic, consent page), `backend` (private_key_jwt, system scopes + introspection)
 * and the bundled `medication-review`; one user `clin` / PASSWORD (Practitioner/demo-practitioner);
 * the demo configuration's records in /fhir. `db` makes several apps share one open database (instances of one deployment).
 */
export async function createSmartApp(extra: Record<string, unknown> = {}, backendKey?: ClientKey, env: Partial<AppConfig> = {}, db?: Database): Promise<SmartTestApp> {
  const key = backendKey ?? (await makeClientKey());
  const config = buildTestConfig({
    smartClients: [
      {
        clientId: 'public-app',
        name: 'Public App',
        redirectUris: [APP_REDIRECT],
        scope: 'launch launch/patient openid fhirUser offline_access patient/*.rs user/*.rs',
        auth: 'none',
        autoApprove: true,
      },
      {
        clientId: 'conf-app',
        name: 'Confidential App',
        redirectUris: [CONF_REDIRECT],
        scope: 'launch launch/patient openid fhirUser offline_access online_access patient/*.cruds',
        auth: 'client_secret_basic',
        secret: CONF_SECRET,
      },
      {
        clientId: 'backend',
        name: 'Backend Service',
        scope: 'system/Patient.rs system/Observation.rs __introspect',
        auth: 'private_key_jwt',
        jwks: { keys: [key.publicJwk] },
      },
    ],
    users: [{ username: 'clin', passwordHash: hashPasswordSync(PASSWORD), fhirUser: 'Practitioner/demo-practitioner', roles: ['clinician'] }],
    ...extra,
  }, { demoResources: demoResources(), ...env });
  // Registered like an operator would (that entry wins over the bundled one), with a narrower scope.
  config.smartClients.push({
    clientId: 'medication-review',
    name: 'Medication Review',
    launchUrl: `${TEST_PUBLIC_URL}/apps/medication-review/launch.html`,
    redirectUris: [`${TEST_PUBLIC_URL}/apps/medication-review/index.html`],
    scope: 'launch openid fhirUser patient/Patient.rs patient/MedicationRequest.cruds',
    auth: 'none',
    autoApprove: true,
    writableTypes: ['MedicationRequest'],
  });
  const t = await createTestApp(config, db ? { customize: (b) => b.overrideProvider(DATABASE).useValue(db) } : {});
  return { ...t, backendKey: key, launches: t.app.get(LaunchService) };
}

/** A launch binding for `public-app` on demo-patient-1 by the demo practitioner. */
export function binding(overrides: Partial<LaunchBinding> = {}): LaunchBinding {
  return {
    clientId: 'public-app',
    iss: FHIR_BASE,
    userId: 'Practitioner/demo-practitioner',
    patientId: 'demo-patient-1',
    encounterId: 'demo-encounter-1',
    scopeCeiling: 'user/*.rs',
    appContext: '{"session":3456356}',
    hookInstance: 'demo',
    serviceId: 'medication-safety',
    fhirContext: [{ reference: 'MedicationRequest/demo-medrx-1' }],
    ...overrides,
  };
}

/** Authorization request parameters of an EHR launch by `public-app`. */
export function authParams(launch: string | undefined, challenge: string, overrides: Record<string, string | undefined> = {}): Record<string, string> {
  const params: Record<string, string | undefined> = {
    response_type: 'code',
    client_id: 'public-app',
    redirect_uri: APP_REDIRECT,
    scope: launch ? 'launch openid fhirUser offline_access patient/*.rs' : 'launch/patient openid fhirUser offline_access patient/*.rs',
    state: randomUUID(),
    aud: FHIR_BASE,
    code_challenge: challenge,
    code_challenge_method: 'S256',
    launch,
    ...overrides,
  };
  return Object.fromEntries(Object.entries(params).filter((e): e is [string, string] => e[1] !== undefined));
}

/** Query parameters of a redirect Location. */
export function locationParams(location: string | undefined): URLSearchParams {
  return new URL(location ?? 'https://invalid.test/').searchParams;
}

/** An OAuth JSON error exactly (RFC 6749 §5.2): the status, `error` and `error_description`, and nothing else. */
export function expectOAuthError(res: { status: number; body: unknown }, status: number, error: string, errorDescription: string): void {
  expect({ status: res.status, body: res.body }).toEqual({ status, body: { error, error_description: errorDescription } });
}

/** An authorization error sent back to the client (RFC 6749 §4.1.2.1): `error` and `error_description` in the Location, no code. */
export function expectRedirectError(location: string | undefined, error: string, errorDescription: string): void {
  const q = locationParams(location);
  expect({ error: q.get('error'), error_description: q.get('error_description'), code: q.get('code') }).toEqual({ error, error_description: errorDescription, code: null });
}

/** Mints a launch and runs an auto-approved EHR launch; returns the code and the PKCE verifier. */
export async function ehrLaunchCode(
  t: SmartTestApp,
  overrides: Record<string, string | undefined> = {},
  launchOverrides: Partial<LaunchBinding> = {},
): Promise<{ code: string; verifier: string; state: string }> {
  const launch = await t.launches.mint(binding(launchOverrides));
  const { verifier, challenge } = pkce();
  const params = authParams(launch, challenge, overrides);
  const res = await request(t.server).get('/auth/authorize').query(params).expect(303);
  const q = locationParams(res.headers.location);
  const code = q.get('code');
  if (!code) throw new Error(`no code: ${res.headers.location}`);
  return { code, verifier, state: params.state };
}

/** A `public-app` access token from an EHR launch on demo-patient-1 (launch → code → token). */
export async function launchedAccessToken(t: SmartTestApp): Promise<string> {
  const { code, verifier } = await ehrLaunchCode(t);
  const res = await exchange(t, code, verifier);
  if (res.status !== 200) throw new Error(`token exchange answered ${res.status}`);
  return res.body.access_token as string;
}

/** The code exchange of `public-app`. */
export function exchange(t: TestApp, code: string, verifier: string, extra: Record<string, string> = {}): request.Test {
  return request(t.server)
    .post('/auth/token')
    .type('form')
    .send({ grant_type: 'authorization_code', code, code_verifier: verifier, redirect_uri: APP_REDIRECT, client_id: 'public-app', ...extra });
}

/** Cookie value of the authorization transaction from a Set-Cookie header. */
export function txCookie(setCookie: string[] | string | undefined): string {
  const list = Array.isArray(setCookie) ? setCookie : setCookie ? [setCookie] : [];
  const c = list.find((s) => s.startsWith('hw_authz='));
  if (!c) throw new Error('no transaction cookie');
  return c.split(';')[0];
}

/** The hidden CSRF token of an interaction page. */
export function csrfOf(html: string): string {
  const m = /name="csrf" value="([^"]+)"/.exec(html);
  if (!m) throw new Error('no csrf token in page');
  return m[1];
}

/** An EHR launch of `conf-app` (no auto-approve): authorize → consent page → approve → code. */
export async function ehrLaunchWithConsent(t: SmartTestApp, scope?: string): Promise<{ code: string; verifier: string }> {
  const launch = await t.launches.mint(binding({ clientId: 'conf-app' }));
  const { verifier, challenge } = pkce();
  const start = await request(t.server)
    .get('/auth/authorize')
    .query(authParams(launch, challenge, { client_id: 'conf-app', redirect_uri: CONF_REDIRECT, ...(scope ? { scope } : {}) }))
    .expect(303);
  const cookie = txCookie(start.headers['set-cookie']);
  const consent = await request(t.server).get('/auth/interaction').set('Cookie', cookie).expect(200);
  const done = await request(t.server)
    .post('/auth/interaction')
    .set('Cookie', cookie)
    .type('form')
    .send({ csrf: csrfOf(consent.text), step: 'consent', decision: 'approve' })
    .expect(303);
  const code = locationParams(done.headers.location).get('code');
  if (!code) throw new Error('no code after consent');
  return { code, verifier };
}

/** A free loopback port, so the app's public URL (issuer, aud) is the address clients really call. */
export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as { port: number };
      srv.close(() => resolve(port));
    });
  });
}

/** The browser's part: GET the authorization URL and return the redirect to the app (auto-approve client). */
export async function followToApp(url: string, redirectUri: string = APP_REDIRECT): Promise<string> {
  const res = await fetch(url, { redirect: 'manual' });
  const location = res.headers.get('location');
  if (res.status !== 303 || !location?.startsWith(redirectUri)) throw new Error(`unexpected authorize answer ${res.status} ${location}`);
  return location;
}

/** fhirclient's Node adapter parts for a test: an in-memory session storage and a request/response pair for `url`. */
export function fhirclientNode(store: Map<string, unknown> = new Map()): {
  storage: { get(k: string): Promise<unknown>; set(k: string, v: unknown): Promise<unknown>; unset(k: string): Promise<boolean> };
  req(url: string): { url: string; headers: { host: string }; socket: { encrypted: boolean } };
  res: { writeHead(): void; end(): void };
} {
  return {
    storage: {
      get: async (k) => store.get(k),
      set: async (k, v) => {
        store.set(k, v);
        return v;
      },
      unset: async (k) => store.delete(k),
    },
    req: (url) => ({ url, headers: { host: 'app.test' }, socket: { encrypted: true } }),
    res: { writeHead() {}, end() {} },
  };
}

/**
 * openid-client's whole EHR launch as a public client: discovery from `iss`, authorize with PKCE, state
 * and nonce (the redirect followed by followToApp), and the code exchange validating state, nonce and id_token.
 */
export async function openidClientEhrLaunch(
  iss: string,
  clientId: string,
  launch: string,
  scope: string,
): Promise<{ config: oidc.Configuration; tokens: Awaited<ReturnType<typeof oidc.authorizationCodeGrant>> }> {
  const config = await oidc.discovery(new URL(`${iss}/.well-known/smart-configuration`), clientId, undefined, oidc.None(), {
    execute: [oidc.allowInsecureRequests],
  });
  const verifier = oidc.randomPKCECodeVerifier();
  const state = oidc.randomState();
  const nonce = oidc.randomNonce();
  const url = oidc.buildAuthorizationUrl(config, {
    redirect_uri: APP_REDIRECT,
    scope,
    state,
    nonce,
    code_challenge: await oidc.calculatePKCECodeChallenge(verifier),
    code_challenge_method: 'S256',
    aud: iss,
    launch,
  });
  const callback = await followToApp(url.href);
  const tokens = await oidc.authorizationCodeGrant(config, new URL(callback), { pkceCodeVerifier: verifier, expectedState: state, expectedNonce: nonce, idTokenExpected: true });
  return { config, tokens };
}

/** fhirclient's (Node adapter) whole EHR launch of `clientId` from a launch URL's `iss` and `launch`: authorize with PKCE, then ready(). */
export async function fhirclientEhrLaunch(iss: string, launch: string, scope: string, clientId = 'medication-review'): Promise<Awaited<ReturnType<ReturnType<typeof smart>['ready']>>> {
  const node = fhirclientNode();
  const authUrl = await smart(node.req(`/launch?iss=${encodeURIComponent(iss)}&launch=${launch}`) as never, node.res as never, node.storage as never).authorize({
    clientId,
    scope,
    redirectUri: APP_REDIRECT,
    noRedirect: true,
    pkceMode: 'required',
  });
  const callback = new URL(await followToApp(String(authUrl)));
  return smart(node.req(callback.pathname + callback.search) as never, node.res as never, node.storage as never).ready();
}

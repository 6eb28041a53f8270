import request from 'supertest';
import { authParams, CONF_REDIRECT, createSmartApp, csrfOf, PASSWORD, pkce, type SmartTestApp, txCookie } from './helpers/smart-harness.js';
import { setCookieNamed } from './helpers/sign-in.js';

// The authorization server's sign-in session: set by a sign-in, answering later authorize requests,
// ended by the end_session_endpoint (OIDC Core §3.1.2.3, OIDC RP-Initiated Logout 1.0).
describe('authorization-server session', () => {
  let t: SmartTestApp;
  beforeAll(async () => {
    t = await createSmartApp({ session: { idleSeconds: 600, absoluteSeconds: 3600 } });
  });
  afterAll(() => t.close());

  async function authorize(session: string | undefined, overrides: Record<string, string> = {}) {
    const { challenge } = pkce();
    const params = authParams(undefined, challenge, { client_id: 'conf-app', redirect_uri: CONF_REDIRECT, ...overrides });
    const res = await request(t.server).get('/auth/authorize').query(params).set('Cookie', session ?? '').expect(303);
    const tx = txCookie(res.headers['set-cookie']);
    return { tx, page: (await request(t.server).get('/auth/interaction').set('Cookie', tx).expect(200)).text };
  }

  async function signIn(): Promise<{ pair: string; line: string }> {
    const { tx, page } = await authorize(undefined);
    expect(page).toContain('<h1>Sign in</h1>');
    const res = await request(t.server).post('/auth/interaction').set('Cookie', tx).type('form').send({ csrf: csrfOf(page), step: 'login', username: 'clin', password: PASSWORD }).expect(303);
    return setCookieNamed(res.headers['set-cookie'], 'hw_session');
  }

  it('a sign-in sets an HttpOnly, Secure (https PUBLIC_URL), SameSite=Lax cookie under /auth lasting the absolute lifetime', async () => {
    const { line } = await signIn();
    expect(line).toMatch(/; Path=\/auth(;|$)/);
    expect(line).toMatch(/; HttpOnly/);
    expect(line).toMatch(/; Secure/);
    expect(line).toMatch(/; SameSite=Lax/);
    expect(line).toMatch(/; Max-Age=3600(;|$)/);
  });

  it('a later authorize request with the session skips the sign-in page (straight to the patient choice)', async () => {
    const { pair } = await signIn();
    const { page } = await authorize(pair);
    expect(page).toContain('<h1>Choose a patient</h1>');
  });

  it('prompt=login and max_age=0 ask for the password again despite the session (OIDC Core §3.1.2.1)', async () => {
    const { pair } = await signIn();
    expect((await authorize(pair, { prompt: 'login' })).page).toContain('<h1>Sign in</h1>');
    expect((await authorize(pair, { max_age: '0' })).page).toContain('<h1>Sign in</h1>');
  });

  it('an unknown or forged session cookie is no session', async () => {
    expect((await authorize('hw_session=forged-value')).page).toContain('<h1>Sign in</h1>');
  });

  it('the end_session_endpoint ends the session and clears the cookie; the next request signs in again', async () => {
    const { pair } = await signIn();
    const out = await request(t.server).get('/auth/logout').set('Cookie', pair).expect(200);
    expect(out.text).toContain('<h1>Signed out</h1>');
    expect(String(out.headers['set-cookie'])).toMatch(/hw_session=;/);
    expect((await authorize(pair)).page).toContain('<h1>Sign in</h1>');
  });

  it('logout never redirects to an unregistered post_logout_redirect_uri', async () => {
    const res = await request(t.server).get('/auth/logout').query({ client_id: 'conf-app', post_logout_redirect_uri: 'https://evil.test/' }).expect(200);
    expect(res.headers.location).toBeUndefined();
  });

  it('the OpenID discovery document names the end_session_endpoint', async () => {
    const res = await request(t.server).get('/fhir/.well-known/openid-configuration').expect(200);
    expect(res.body.end_session_endpoint).toBe('https://hookwarden.test/auth/logout');
  });
});

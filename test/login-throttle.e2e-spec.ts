import request from 'supertest';
import { CONF_REDIRECT, CONF_SECRET, PASSWORD, authParams, createSmartApp, csrfOf, pkce, txCookie, type SmartTestApp } from './helpers/smart-harness.js';

// Issue 10.10 login throttling: 200 wrong passwords at 5/s were accepted. Per account and per client
// address, a few failures are free and then each attempt waits (429 with Retry-After, RFC 6585 §4), before
// any scrypt runs; the same for client authentication at the token and introspection endpoints.
describe('10.10 sign-in and client-authentication throttling', () => {
  let t: SmartTestApp;
  beforeEach(async () => {
    t = await createSmartApp();
  });
  afterEach(async () => {
    vi.useRealTimers();
    await t.close();
  });

  async function loginPage(): Promise<{ cookie: string; csrf: string }> {
    const res = await request(t.server).get('/auth/authorize').query(authParams(undefined, pkce().challenge, { client_id: 'conf-app', redirect_uri: CONF_REDIRECT })).expect(303);
    const cookie = txCookie(res.headers['set-cookie']);
    const page = await request(t.server).get('/auth/interaction').set('Cookie', cookie).expect(200);
    return { cookie, csrf: csrfOf(page.text) };
  }

  async function login(username: string, password: string): Promise<request.Response> {
    const { cookie, csrf } = await loginPage();
    return request(t.server).post('/auth/interaction').set('Cookie', cookie).type('form').send({ csrf, step: 'login', username, password });
  }

  it('10.10 wrong passwords for one account: five are free, then 429 with Retry-After, even for the right one, until the wait is over (frozen clock)', async () => {
    vi.useFakeTimers({ toFake: ['Date'], now: Date.parse('2026-12-02T06:00:00Z') });
    for (let i = 0; i < 6; i++) expect((await login('clin', `wrong-${i}`)).headers.location).toBe('https://hookwarden.test/auth/interaction?retry=1');
    const throttled = await login('clin', PASSWORD);
    expect(throttled.status).toBe(429);
    expect(throttled.headers['retry-after']).toBe('2');
    expect(throttled.headers['x-frame-options']).toBe('DENY');
    expect(throttled.text).toContain('Too many failed attempts. Try again in 2 seconds.');
    vi.setSystemTime(Date.parse('2026-12-02T06:00:02Z'));
    expect((await login('clin', PASSWORD)).headers.location).toBe('https://hookwarden.test/auth/interaction');
  });

  it('10.10 per client address: guesses spread over many accounts are throttled too', async () => {
    vi.useFakeTimers({ toFake: ['Date'], now: Date.parse('2026-12-02T06:00:00Z') });
    for (let i = 0; i < 21; i++) expect((await login(`user-${i}`, 'guess')).status).toBe(303);
    const throttled = await login('clin', PASSWORD);
    expect(throttled.status).toBe(429);
    expect(Number(throttled.headers['retry-after'])).toBeGreaterThan(0);
  });

  it('10.10 token and introspection client authentication: failed Basic credentials are throttled 429 temporarily_unavailable with Retry-After', async () => {
    vi.useFakeTimers({ toFake: ['Date'], now: Date.parse('2026-12-02T06:00:00Z') });
    const token = (secret: string) => request(t.server).post('/auth/token').auth('conf-app', secret).type('form').send({ grant_type: 'refresh_token', refresh_token: 'x' });
    for (let i = 0; i < 51; i++) expect((await token(`wrong-secret-${i}`)).status).toBe(401);
    const res = await token(CONF_SECRET);
    expect({ status: res.status, retryAfter: res.headers['retry-after'], body: res.body }).toEqual({
      status: 429,
      retryAfter: '1',
      body: { error: 'temporarily_unavailable', error_description: 'Too many failed attempts. Try again in 1 seconds.' },
    });
    const introspect = await request(t.server).post('/auth/introspect').auth('conf-app', CONF_SECRET).type('form').send({ token: 'x' });
    expect(introspect.status).toBe(429);
    vi.setSystemTime(Date.parse('2026-12-02T06:00:01Z'));
    expect((await token(CONF_SECRET)).body).toMatchObject({ error: 'invalid_grant' });
  });
});

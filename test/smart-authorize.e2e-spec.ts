import request from 'supertest';
import {
  APP_REDIRECT,
  authParams,
  binding,
  CONF_REDIRECT,
  createSmartApp,
  csrfOf,
  ehrLaunchCode,
  exchange,
  expectRedirectError,
  FHIR_BASE,
  locationParams,
  PASSWORD,
  pkce,
  type SmartTestApp,
  txCookie,
} from './helpers/smart-harness.js';

describe('SMART authorization endpoint', () => {
  let t: SmartTestApp;
  beforeAll(async () => {
    t = await createSmartApp({ frameAncestors: ['https://ehr.test'] });
  });
  afterAll(() => t.close());

  function authorize(params: Record<string, string>): request.Test {
    return request(t.server).get('/auth/authorize').query(params);
  }

  async function start() {
    const { verifier, challenge } = pkce();
    const params = authParams(undefined, challenge, { client_id: 'conf-app', redirect_uri: CONF_REDIRECT });
    const res = await authorize(params).expect(303);
    expect(res.headers.location).toBe('https://hookwarden.test/auth/interaction');
    return { cookie: txCookie(res.headers['set-cookie']), verifier, state: params.state };
  }
  const page = (cookie: string) => request(t.server).get('/auth/interaction').set('Cookie', cookie);
  const post = (cookie: string, form: Record<string, string>) => request(t.server).post('/auth/interaction').set('Cookie', cookie).type('form').send(form);

  describe('EHR launch', () => {
    it('issues a code with byte-exact state and iss, and the token response carries the launch context', async () => {
      const { code, verifier } = await ehrLaunchCode(t);
      const res = await exchange(t, code, verifier).expect(200);
      expect(res.body).toMatchObject({
        token_type: 'Bearer',
        patient: 'demo-patient-1',
        encounter: 'demo-encounter-1',
        appContext: '{"session":3456356}',
        fhirContext: [{ reference: 'MedicationRequest/demo-medrx-1' }],
        need_patient_banner: true,
        smart_style_url: 'https://hookwarden.test/auth/smart-style.json',
      });
      expect(res.body.scope.split(' ').sort()).toEqual(['fhirUser', 'launch', 'offline_access', 'openid', 'patient/*.rs']);
    });

    it('granted scope is capped by the launch ceiling', async () => {
      const { code, verifier } = await ehrLaunchCode(t, {}, { scopeCeiling: 'user/Observation.rs?category=http://terminology.hl7.org/CodeSystem/observation-category|laboratory' });
      const res = await exchange(t, code, verifier).expect(200);
      expect(res.body.scope.split(' ')).toContain('patient/Observation.rs?category=http://terminology.hl7.org/CodeSystem/observation-category|laboratory');
      expect(res.body.scope).not.toContain('patient/*.rs');
    });

    it('A8 rejects an unknown, used, other-client and other-iss launch without a code', async () => {
      const used = await t.launches.mint(binding());
      expect(locationParams((await authorize(authParams(used, pkce().challenge)).expect(303)).headers.location).get('code')).not.toBeNull();
      const otherClient = await t.launches.mint(binding({ clientId: 'conf-app' }));
      const otherIss = await t.launches.mint(binding({ iss: 'https://other.test/fhir' }));
      for (const launch of ['INVALID_LAUNCH_PARAM', used, otherClient, otherIss]) {
        // A fresh challenge each time: a repeated one is refused first (A18) and would hide the launch check.
        const params = authParams(launch, pkce().challenge);
        const res = await authorize(params).expect(303);
        expectRedirectError(res.headers.location, 'invalid_request', 'launch is unknown, expired or already used');
        expect(locationParams(res.headers.location).get('state')).toBe(params.state);
      }
    });

    it('A8 rejects an expired launch (frozen clock)', async () => {
      const launch = await t.launches.mint(binding());
      vi.useFakeTimers({ toFake: ['Date'] });
      try {
        vi.setSystemTime(Date.now() + (t.config.lifetimes.launch + 1) * 1000);
        const res = await authorize(authParams(launch, pkce().challenge)).expect(303);
        expectRedirectError(res.headers.location, 'invalid_request', 'launch is unknown, expired or already used');
      } finally {
        vi.useRealTimers();
      }
    });

    it('scope launch without a launch parameter is an invalid_request', async () => {
      const res = await authorize(authParams(undefined, pkce().challenge, { scope: 'launch openid' })).expect(303);
      expectRedirectError(res.headers.location, 'invalid_request', 'scope launch requires the launch parameter');
    });
  });

  describe('requests that must not redirect', () => {
    it.each([
      ['extra path segment', `${APP_REDIRECT}/x`],
      ['trailing slash', `${APP_REDIRECT}/`],
      ['added query', `${APP_REDIRECT}?a=1`],
      ['fragment', `${APP_REDIRECT}#f`],
      ['http instead of https', APP_REDIRECT.replace('https:', 'http:')],
      ['host case', APP_REDIRECT.replace('app.test', 'APP.test')],
      ['explicit port', APP_REDIRECT.replace('app.test', 'app.test:443')],
      ['prefix', 'https://app.test/call'],
      ['percent-encoding', APP_REDIRECT.replace('callback', 'c%61llback')],
    ])('A1 redirect_uri differing by %s → 400 page, no Location', async (_, redirectUri) => {
      const res = await authorize(authParams(undefined, pkce().challenge, { redirect_uri: redirectUri })).expect(400);
      expect(res.headers.location).toBeUndefined();
      expect(res.headers['content-type']).toMatch(/text\/html/);
      expect(res.text).toContain('<p class="error">The redirect_uri is not registered for this client.</p>');
    });

    it('A2 unknown client_id → 400 page, no redirect', async () => {
      const res = await authorize(authParams(undefined, pkce().challenge, { client_id: 'nobody' })).expect(400);
      expect(res.headers.location).toBeUndefined();
      expect(res.text).toContain('<p class="error">Unknown client.</p>');
    });

    it('A3 missing redirect_uri → 400 page', async () => {
      const res = await authorize(authParams(undefined, pkce().challenge, { redirect_uri: undefined })).expect(400);
      expect(res.headers.location).toBeUndefined();
      expect(res.text).toContain('<p class="error">The redirect_uri is not registered for this client.</p>');
    });
  });

  describe('errors redirected to the registered redirect_uri', () => {
    it.each([
      ['A5 response_type=token', { response_type: 'token' }, 'unsupported_response_type', 'only response_type=code is supported'],
      ['A5 response_type=code id_token', { response_type: 'code id_token' }, 'unsupported_response_type', 'only response_type=code is supported'],
      ['A6 no code_challenge', { code_challenge: undefined }, 'invalid_request', 'code_challenge is required'],
      ['A6 code_challenge_method=plain', { code_challenge_method: 'plain' }, 'invalid_request', 'code_challenge_method must be S256'],
      ['A6 code_challenge_method absent', { code_challenge_method: undefined }, 'invalid_request', 'code_challenge_method must be S256'],
      ['A7 aud of another server', { aud: 'https://inferno.healthit.gov/invalid_aud' }, 'invalid_request', "aud must be this server's FHIR base URL"],
      ['A7 aud missing', { aud: undefined }, 'invalid_request', "aud must be this server's FHIR base URL"],
      ['A4 scope missing', { scope: undefined }, 'invalid_scope', 'scope is required'],
    ])('%s → error, error_description, state and iss, no code (A4, A10)', async (_, overrides, error, description) => {
      const params = authParams(undefined, pkce().challenge, overrides as Record<string, string | undefined>);
      const res = await authorize(params).expect(303);
      expect(res.headers.location.startsWith(`${APP_REDIRECT}?`)).toBe(true);
      expectRedirectError(res.headers.location, error, description);
      const q = locationParams(res.headers.location);
      expect(q.get('state')).toBe(params.state);
      expect(q.get('iss')).toBe(FHIR_BASE);
    });

    it('A9 echoes a state with &, =, unicode and 1 KB byte-exact', async () => {
      const state = `a&b=c ü ✓ ${'x'.repeat(1024)}`;
      const launch = await t.launches.mint(binding());
      const res = await authorize(authParams(launch, pkce().challenge, { state })).expect(303);
      const q = locationParams(res.headers.location);
      expect(q.get('code')).not.toBeNull();
      expect(q.get('state')).toBe(state);
    });
  });

  it('A10 A11 authorize-post: a form POST gets a 303 with code and iss', async () => {
    const launch = await t.launches.mint(binding());
    const params = authParams(launch, pkce().challenge);
    const res = await request(t.server).post('/auth/authorize').type('form').send(params).expect(303);
    const q = locationParams(res.headers.location);
    expect(q.get('code')).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(q.get('iss')).toBe(FHIR_BASE);
    expect(q.get('state')).toBe(params.state);
  });

  it('A18 a code_challenge that already produced a code is refused', async () => {
    const { challenge } = pkce();
    const first = await authorize(authParams(await t.launches.mint(binding()), challenge)).expect(303);
    expect(locationParams(first.headers.location).get('code')).not.toBeNull();
    const again = await authorize(authParams(await t.launches.mint(binding()), challenge)).expect(303);
    expectRedirectError(again.headers.location, 'invalid_request', 'code_challenge was already used');
  });

  it('A14 no CORS on the authorization endpoint', async () => {
    const res = await request(t.server).get('/auth/authorize').set('Origin', 'https://evil.test').query(authParams(undefined, pkce().challenge));
    expect(res.headers['access-control-allow-origin']).toBeUndefined();
    const pre = await request(t.server).options('/auth/authorize').set('Origin', 'https://evil.test').set('Access-Control-Request-Method', 'POST');
    expect(pre.headers['access-control-allow-origin']).toBeUndefined();
  });

  describe('standalone launch with login, patient choice and consent', () => {

    it('A12 A11 logs in, picks a patient, consents; pages are unframeable; every POST answers 303', async () => {
      const { cookie, state, verifier } = await start();
      const login = await page(cookie).expect(200);
      expect(login.headers['content-security-policy']).toContain('frame-ancestors https://ehr.test');
      expect(login.headers['x-frame-options']).toBe('DENY');
      expect(login.headers['referrer-policy']).toBe('no-referrer');
      expect(login.text).not.toMatch(/<script|src="http/);
      await post(cookie, { csrf: csrfOf(login.text), step: 'login', username: 'clin', password: PASSWORD }).expect(303);

      const choose = await page(cookie).expect(200);
      expect(choose.text).toContain('demo-patient-2');
      await post(cookie, { csrf: csrfOf(choose.text), step: 'patient', patient: 'demo-patient-2' }).expect(303);

      const consent = await page(cookie).expect(200);
      expect(consent.text).toContain('patient/*.rs');
      const done = await post(cookie, { csrf: csrfOf(consent.text), step: 'consent', decision: 'approve' }).expect(303);
      const q = locationParams(done.headers.location);
      expect(q.get('state')).toBe(state);
      expect(q.get('iss')).toBe(FHIR_BASE);

      const token = await request(t.server)
        .post('/auth/token')
        .auth('conf-app', 'confidential-secret-0123456789')
        .type('form')
        .send({ grant_type: 'authorization_code', code: q.get('code')!, code_verifier: verifier, redirect_uri: CONF_REDIRECT })
        .expect(200);
      expect(token.body.patient).toBe('demo-patient-2');
      expect(token.body.encounter).toBeUndefined();
      expect(token.body.scope.split(' ')).toEqual(expect.arrayContaining(['launch/patient', 'openid', 'fhirUser', 'patient/*.rs']));
    });

    it('g10 limited access: scopes withheld on the consent page are not granted and their data stays closed', async () => {
      const { verifier, challenge } = pkce();
      const params = authParams(undefined, challenge, {
        client_id: 'conf-app',
        redirect_uri: CONF_REDIRECT,
        scope: 'launch/patient openid fhirUser patient/Patient.rs patient/Observation.rs',
      });
      const cookie = txCookie((await authorize(params).expect(303)).headers['set-cookie']);
      const login = await page(cookie).expect(200);
      await post(cookie, { csrf: csrfOf(login.text), step: 'login', username: 'clin', password: PASSWORD }).expect(303);
      const choose = await page(cookie).expect(200);
      await post(cookie, { csrf: csrfOf(choose.text), step: 'patient', patient: 'demo-patient-1' }).expect(303);
      const consent = await page(cookie).expect(200);
      expect(consent.text).toContain('value="patient/Observation.rs"');
      const done = await post(cookie, { csrf: csrfOf(consent.text), step: 'consent', decision: 'approve', withhold: 'patient/Observation.rs' }).expect(303);
      const tok = await request(t.server)
        .post('/auth/token')
        .auth('conf-app', 'confidential-secret-0123456789')
        .type('form')
        .send({ grant_type: 'authorization_code', code: locationParams(done.headers.location).get('code')!, code_verifier: verifier, redirect_uri: CONF_REDIRECT })
        .expect(200);
      expect(tok.body.scope.split(' ')).toContain('patient/Patient.rs');
      expect(tok.body.scope).not.toContain('Observation');
      await request(t.server).get('/fhir/Patient/demo-patient-1').set('Authorization', `Bearer ${tok.body.access_token}`).expect(200);
      await request(t.server).get('/fhir/Observation').set('Authorization', `Bearer ${tok.body.access_token}`).expect(403);
    });

    it('a wrong password stays on the login page', async () => {
      const { cookie } = await start();
      const login = await page(cookie).expect(200);
      const res = await post(cookie, { csrf: csrfOf(login.text), step: 'login', username: 'clin', password: 'wrong' }).expect(303);
      expect(res.headers.location).toBe('https://hookwarden.test/auth/interaction?retry=1');
      const again = await request(t.server).get('/auth/interaction?retry=1').set('Cookie', cookie).expect(200);
      expect(again.text).toContain('Wrong user name or password.');
      await post(cookie, { csrf: csrfOf(again.text), step: 'login', username: 'nobody', password: PASSWORD }).expect(303);
    });

    it('A13 rejects a missing, foreign or replayed CSRF token and a finished transaction with 403', async () => {
      const a = await start();
      const b = await start();
      const loginA = await page(a.cookie).expect(200);
      const loginB = await page(b.cookie).expect(200);
      await post(a.cookie, { step: 'login', username: 'clin', password: PASSWORD }).expect(403);
      // Each failed attempt burns the token, so render again before each case.
      const again = await page(a.cookie).expect(200);
      await post(a.cookie, { csrf: csrfOf(loginB.text), step: 'login', username: 'clin', password: PASSWORD }).expect(403);
      expect(csrfOf(again.text)).not.toBe(csrfOf(loginA.text));
      const fresh = csrfOf((await page(a.cookie).expect(200)).text);
      await post(a.cookie, { csrf: fresh, step: 'login', username: 'clin', password: PASSWORD }).expect(303);
      await post(a.cookie, { csrf: fresh, step: 'patient', patient: 'demo-patient-1' }).expect(403);
      const choose = await page(a.cookie).expect(200);
      await post(a.cookie, { csrf: csrfOf(choose.text), step: 'patient', patient: 'demo-patient-1' }).expect(303);
      const consent = await page(a.cookie).expect(200);
      await post(a.cookie, { csrf: csrfOf(consent.text), step: 'consent', decision: 'approve' }).expect(303);
      await page(a.cookie).expect(403);
      await post(a.cookie, { csrf: csrfOf(consent.text), step: 'consent', decision: 'approve' }).expect(403);
    });

    it('A17 denying consent redirects with access_denied, state and iss', async () => {
      const { cookie, state } = await start();
      const login = await page(cookie).expect(200);
      await post(cookie, { csrf: csrfOf(login.text), step: 'login', username: 'clin', password: PASSWORD }).expect(303);
      const choose = await page(cookie).expect(200);
      await post(cookie, { csrf: csrfOf(choose.text), step: 'patient', patient: 'demo-patient-1' }).expect(303);
      const consent = await page(cookie).expect(200);
      const res = await post(cookie, { csrf: csrfOf(consent.text), step: 'consent', decision: 'deny' }).expect(303);
      const q = locationParams(res.headers.location);
      expect(res.headers.location.startsWith(CONF_REDIRECT)).toBe(true);
      expectRedirectError(res.headers.location, 'access_denied', 'the user denied access');
      expect(q.get('state')).toBe(state);
      expect(q.get('iss')).toBe(FHIR_BASE);
    });
  });
});

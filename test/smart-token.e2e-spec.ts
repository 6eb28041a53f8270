import { randomUUID } from 'node:crypto';
import { decodeJwt, decodeProtectedHeader, generateKeyPair, SignJWT } from 'jose';
import request from 'supertest';
import { DATABASE, type Database } from '../src/store/database.js';
import { GrantStore } from '../src/smart/grant-store.js';
import { HousekeepingService } from '../src/smart/housekeeping.service.js';
import { TokenIssuer } from '../src/smart/token-issuer.js';
import {
  authParams,
  binding,
  clientAssertion,
  CONF_REDIRECT,
  CONF_SECRET,
  createSmartApp,
  ehrLaunchCode,
  ehrLaunchWithConsent,
  exchange,
  expectOAuthError,
  expectRedirectError,
  FHIR_BASE,
  makeClientKey,
  pkce,
  TOKEN_URL,
  type SmartTestApp,
} from './helpers/smart-harness.js';

const JWT_BEARER = 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer';
const b64 = (o: object) => Buffer.from(JSON.stringify(o)).toString('base64url');

describe('SMART token, introspection and revocation endpoints', () => {
  let t: SmartTestApp;
  beforeAll(async () => {
    t = await createSmartApp();
  });
  afterAll(() => t.close());

  const token = (form: Record<string, string>) => request(t.server).post('/auth/token').type('form').send(form);
  const backend = async (claims: Record<string, unknown> = {}, header: Record<string, unknown> = {}, form: Record<string, string> = {}) =>
    token({
      grant_type: 'client_credentials',
      scope: 'system/Patient.rs',
      client_assertion_type: JWT_BEARER,
      client_assertion: await clientAssertion('backend', t.backendKey, claims, header),
      ...form,
    });

  async function backendToken(scope = 'system/Patient.rs __introspect'): Promise<string> {
    const res = await token({
      grant_type: 'client_credentials',
      scope,
      client_assertion_type: JWT_BEARER,
      client_assertion: await clientAssertion('backend', t.backendKey),
    }).expect(200);
    return res.body.access_token as string;
  }

  async function introspect(tok: string): Promise<Record<string, unknown>> {
    const bearer = await backendToken();
    return (await request(t.server).post('/auth/introspect').set('Authorization', `Bearer ${bearer}`).type('form').send({ token: tok }).expect(200))
      .body as Record<string, unknown>;
  }

  async function confCode(): Promise<{ code: string; verifier: string }> {
    return ehrLaunchWithConsent(t);
  }

  describe('authorization_code', () => {
    it('T14 S1 L1 success: 200 JSON, no-store, Bearer, expires_in ≤ 3600, RS256 access token with aud, client_id, scope, jti; id_token', async () => {
      const { code, verifier } = await ehrLaunchCode(t, { nonce: 'n-0S6_WzA2Mj' });
      const res = await exchange(t, code, verifier).expect(200).expect('Content-Type', /application\/json/);
      expect(res.headers['cache-control']).toContain('no-store');
      expect(res.headers.pragma).toContain('no-cache');
      expect(res.body.token_type).toBe('Bearer');
      expect(res.body.expires_in).toBeLessThanOrEqual(3600);
      expect(decodeProtectedHeader(res.body.access_token).alg).toBe('RS256');
      const at = decodeJwt(res.body.access_token);
      expect(at).toMatchObject({ aud: FHIR_BASE, client_id: 'public-app', patient: 'demo-patient-1', iss: FHIR_BASE });
      expect(at.scope).toBe(res.body.scope);
      expect(at.jti).toEqual(expect.any(String));
      expect(at.exp! - at.iat!).toBe(res.body.expires_in);
      const id = decodeJwt(res.body.id_token);
      expect(id).toMatchObject({
        iss: FHIR_BASE,
        aud: 'public-app',
        sub: 'Practitioner/demo-practitioner',
        fhirUser: `${FHIR_BASE}/Practitioner/demo-practitioner`,
        nonce: 'n-0S6_WzA2Mj',
      });
      expect(res.body.refresh_token).toEqual(expect.any(String));
    });

    it('T1 a replayed code fails and revokes the tokens issued from it', async () => {
      const { code, verifier } = await ehrLaunchCode(t);
      const first = await exchange(t, code, verifier).expect(200);
      expectOAuthError(await exchange(t, code, verifier), 400, 'invalid_grant', 'code was already used');
      expect(await introspect(first.body.access_token)).toEqual({ active: false });
      expectOAuthError(await token({ grant_type: 'refresh_token', refresh_token: first.body.refresh_token }), 400, 'invalid_grant', 'refresh token is no longer valid');
    });

    it('T2 L1 a code older than its 60 s lifetime is invalid_grant (frozen clock)', async () => {
      expect(t.config.lifetimes.code).toBeLessThanOrEqual(60);
      const { code, verifier } = await ehrLaunchCode(t);
      vi.useFakeTimers({ toFake: ['Date'] });
      try {
        vi.setSystemTime(Date.now() + 61_000);
        expectOAuthError(await exchange(t, code, verifier), 400, 'invalid_grant', 'code expired');
      } finally {
        vi.useRealTimers();
      }
    });

    it('T3 a code of one client presented by another is invalid_grant', async () => {
      const { code, verifier } = await ehrLaunchCode(t);
      const res = await request(t.server)
        .post('/auth/token')
        .auth('conf-app', CONF_SECRET)
        .type('form')
        .send({ grant_type: 'authorization_code', code, code_verifier: verifier, redirect_uri: 'https://app.test/callback' });
      expectOAuthError(res, 400, 'invalid_grant', 'code was issued to another client');
    });

    it('T4 a different redirect_uri is invalid_grant, a missing one invalid_request', async () => {
      const a = await ehrLaunchCode(t);
      expectOAuthError(await exchange(t, a.code, a.verifier, { redirect_uri: 'https://app.test/other' }), 400, 'invalid_grant', 'redirect_uri does not match');
      const b = await ehrLaunchCode(t);
      expectOAuthError(await token({ grant_type: 'authorization_code', code: b.code, code_verifier: b.verifier, client_id: 'public-app' }), 400, 'invalid_request', 'redirect_uri is required');
    });

    it.each([
      ['missing', undefined],
      ['empty', ''],
      ['wrong', 'x'.repeat(43)],
      ['too short', 'abc'],
      ['illegal characters', `${'a'.repeat(42)}!`],
      ['too long', 'a'.repeat(129)],
    ])('T5 T6 g10 invalid PKCE: %s code_verifier → 400 invalid_grant', async (_, verifier) => {
      const { code } = await ehrLaunchCode(t);
      const form: Record<string, string> = { grant_type: 'authorization_code', code, redirect_uri: 'https://app.test/callback', client_id: 'public-app' };
      if (verifier !== undefined) form.code_verifier = verifier;
      expectOAuthError(await token(form), 400, 'invalid_grant', 'code_verifier does not match');
    });

    it('T5 T7 the challenge itself as verifier (plain downgrade) is rejected', async () => {
      const launch = await t.launches.mint(binding());
      const challenge = 'E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM';
      const res = await request(t.server)
        .get('/auth/authorize')
        .query(authParams(launch, challenge))
        .expect(303);
      const code = new URL(res.headers.location).searchParams.get('code')!;
      expectOAuthError(await exchange(t, code, challenge), 400, 'invalid_grant', 'code_verifier does not match');
    });

    it('T8 confidential client without auth or with a wrong secret → 401 invalid_client (+ WWW-Authenticate for Basic)', async () => {
      const { code, verifier } = await confCode();
      const noAuth = await token({ grant_type: 'authorization_code', code, code_verifier: verifier, redirect_uri: CONF_REDIRECT, client_id: 'conf-app' });
      expectOAuthError(noAuth, 401, 'invalid_client', 'client authentication required');
      expect(noAuth.headers['www-authenticate']).toBeUndefined();
      const wrong = await request(t.server)
        .post('/auth/token')
        .auth('conf-app', 'wrong-secret-wrong-secret')
        .type('form')
        .send({ grant_type: 'authorization_code', code, code_verifier: verifier, redirect_uri: CONF_REDIRECT });
      expectOAuthError(wrong, 401, 'invalid_client', 'client authentication failed');
      expect(wrong.headers['www-authenticate']).toBe('Basic realm="hookwarden"');
    });

    it('T9 a confidential client needs both its secret and PKCE', async () => {
      const { code } = await confCode();
      const res = await request(t.server)
        .post('/auth/token')
        .auth('conf-app', CONF_SECRET)
        .type('form')
        .send({ grant_type: 'authorization_code', code, redirect_uri: CONF_REDIRECT });
      expectOAuthError(res, 400, 'invalid_grant', 'code_verifier does not match');
    });

    it('T10 two authentication methods at once → invalid_request', async () => {
      const res = await request(t.server)
        .post('/auth/token')
        .auth('conf-app', CONF_SECRET)
        .type('form')
        .send({ grant_type: 'authorization_code', code: 'x', client_secret: CONF_SECRET });
      expectOAuthError(res, 400, 'invalid_request', 'more than one client authentication method');
    });

    it('T11 client_secret in the query string is rejected', async () => {
      const res = await request(t.server).post(`/auth/token?client_secret=${CONF_SECRET}`).auth('conf-app', CONF_SECRET).type('form').send({ grant_type: 'authorization_code', code: 'x' });
      expectOAuthError(res, 400, 'invalid_request', 'parameters must not be sent in the query string');
    });

    it('T12 a JSON body → 400 invalid_request', async () => {
      const res = await request(t.server).post('/auth/token').send({ grant_type: 'authorization_code', code: 'x', client_id: 'public-app' });
      expectOAuthError(res, 400, 'invalid_request', 'body must be application/x-www-form-urlencoded');
    });

    it('T13 unsupported grant_type → 400 unsupported_grant_type, never a stack', async () => {
      expectOAuthError(await token({ grant_type: 'password', client_id: 'public-app' }), 400, 'unsupported_grant_type', 'grant_type password is not supported');
    });

    it('g10 invalid token request: a bad code → 400, a bad client id → 401', async () => {
      const badCode = await token({ grant_type: 'authorization_code', code: 'BAD_CODE', code_verifier: 'a'.repeat(43), redirect_uri: 'https://app.test/callback', client_id: 'public-app' });
      expectOAuthError(badCode, 400, 'invalid_grant', 'unknown code');
      expectOAuthError(await token({ grant_type: 'authorization_code', code: 'BAD_CODE', client_id: 'BAD_CLIENT_ID' }), 401, 'invalid_client', 'unknown client');
    });
    it('Inferno CORS token exchange: a registered client origin gets Access-Control-Allow-Origin, others do not', async () => {
      const { code, verifier } = await ehrLaunchCode(t);
      const ok = await exchange(t, code, verifier).set('Origin', 'https://app.test').expect(200);
      expect(ok.headers['access-control-allow-origin']).toBe('https://app.test');
      const other = await token({ grant_type: 'authorization_code', code: 'x', client_id: 'public-app' }).set('Origin', 'https://evil.test');
      expect(other.headers['access-control-allow-origin']).toBeUndefined();
    });

    it('S2 launch tokens and codes are opaque 256-bit values without PHI', async () => {
      const launch = await t.launches.mint(binding());
      expect(launch).toMatch(/^[A-Za-z0-9_-]{43}$/);
      expect(Buffer.from(launch, 'base64url').toString('latin1')).not.toContain('demo-patient');
      const { code } = await ehrLaunchCode(t);
      expect(code).toMatch(/^[A-Za-z0-9_-]{43}$/);
    });
  });

  describe('refresh tokens', () => {
    it('R1 R8 R9 rotates, accepts a public client without client_id, repeats context and no-store headers', async () => {
      const { code, verifier } = await ehrLaunchCode(t);
      const first = await exchange(t, code, verifier).expect(200);
      const res = await token({ grant_type: 'refresh_token', refresh_token: first.body.refresh_token }).expect(200);
      expect(res.headers['cache-control']).toContain('no-store');
      expect(res.headers.pragma).toContain('no-cache');
      expect(res.body.refresh_token).toEqual(expect.any(String));
      expect(res.body.refresh_token).not.toBe(first.body.refresh_token);
      expect(res.body).toMatchObject({ scope: first.body.scope, patient: 'demo-patient-1', encounter: 'demo-encounter-1', appContext: first.body.appContext, token_type: 'Bearer' });
      expect(res.body.expires_in).toEqual(expect.any(Number));
    });

    it('R2 reusing a rotated refresh token revokes the whole family', async () => {
      const { code, verifier } = await ehrLaunchCode(t);
      const first = await exchange(t, code, verifier).expect(200);
      const second = await token({ grant_type: 'refresh_token', refresh_token: first.body.refresh_token, client_id: 'public-app' }).expect(200);
      expectOAuthError(await token({ grant_type: 'refresh_token', refresh_token: first.body.refresh_token }), 400, 'invalid_grant', 'refresh token was already used');
      expectOAuthError(await token({ grant_type: 'refresh_token', refresh_token: second.body.refresh_token }), 400, 'invalid_grant', 'refresh token is no longer valid');
      expect(await introspect(second.body.access_token)).toEqual({ active: false });
    });

    it('R3 a refresh token of one client presented by another → invalid_grant', async () => {
      const { code, verifier } = await ehrLaunchCode(t);
      const first = await exchange(t, code, verifier).expect(200);
      const res = await request(t.server).post('/auth/token').auth('conf-app', CONF_SECRET).type('form').send({ grant_type: 'refresh_token', refresh_token: first.body.refresh_token });
      expectOAuthError(res, 400, 'invalid_grant', 'refresh token was issued to another client');
    });

    it('R4 asking for more scope than granted → invalid_scope; a subset is granted', async () => {
      const { code, verifier } = await ehrLaunchCode(t);
      const first = await exchange(t, code, verifier).expect(200);
      expectOAuthError(await token({ grant_type: 'refresh_token', refresh_token: first.body.refresh_token, scope: 'user/*.cruds' }), 400, 'invalid_scope', 'scope exceeds the original grant');
      const sub = await token({ grant_type: 'refresh_token', refresh_token: first.body.refresh_token, scope: 'offline_access patient/*.rs' }).expect(200);
      expect(sub.body.scope).toBe('offline_access patient/*.rs');
    });

    it('R5 no refresh token without offline_access/online_access', async () => {
      const { code, verifier } = await ehrLaunchCode(t, { scope: 'launch openid fhirUser patient/*.rs' });
      const res = await exchange(t, code, verifier).expect(200);
      expect(res.body.refresh_token).toBeUndefined();
    });

    it('R6 an online_access refresh token ends with the 8-hour sign-in session, however often rotated (frozen clock)', async () => {
      const { code, verifier } = await ehrLaunchWithConsent(t, 'launch openid fhirUser online_access patient/*.rs');
      const basic = (form: Record<string, string>) => request(t.server).post('/auth/token').auth('conf-app', CONF_SECRET).type('form').send(form);
      const first = await basic({ grant_type: 'authorization_code', code, code_verifier: verifier, redirect_uri: CONF_REDIRECT }).expect(200);
      expect(first.body.scope.split(' ')).toContain('online_access');
      const start = Date.now();
      vi.useFakeTimers({ toFake: ['Date'] });
      try {
        vi.setSystemTime(start + 7 * 3600_000);
        const rotated = await basic({ grant_type: 'refresh_token', refresh_token: first.body.refresh_token }).expect(200);
        vi.setSystemTime(start + 8 * 3600_000 + 1000);
        expectOAuthError(await basic({ grant_type: 'refresh_token', refresh_token: rotated.body.refresh_token }), 400, 'invalid_grant', 'refresh token is no longer valid');
      } finally {
        vi.useRealTimers();
      }
    });

    it('R7 g10 an expired or random refresh token → 400 invalid_grant (frozen clock)', async () => {
      expectOAuthError(await token({ grant_type: 'refresh_token', refresh_token: randomUUID() }), 400, 'invalid_grant', 'unknown refresh token');
      const { code, verifier } = await ehrLaunchCode(t);
      const first = await exchange(t, code, verifier).expect(200);
      vi.useFakeTimers({ toFake: ['Date'] });
      try {
        vi.setSystemTime(Date.now() + (t.config.lifetimes.refreshToken + 1) * 1000);
        expectOAuthError(await token({ grant_type: 'refresh_token', refresh_token: first.body.refresh_token }), 400, 'invalid_grant', 'refresh token is no longer valid');
      } finally {
        vi.useRealTimers();
      }
    });
  });

  describe('introspection', () => {
    it('I1 without authorization → 401; a public client cannot introspect', async () => {
      expectOAuthError(await request(t.server).post('/auth/introspect').type('form').send({ token: 'x' }), 401, 'invalid_client', 'introspection requires client authentication');
      const publicClient = await request(t.server).post('/auth/introspect').type('form').send({ token: 'x', client_id: 'public-app' });
      expectOAuthError(publicClient, 401, 'invalid_client', 'introspection requires client authentication');
    });

    it('I2 I4 a bearer token with __introspect sees another client\'s token with scope, client_id, exp, context and id_token identity', async () => {
      const { code, verifier } = await ehrLaunchCode(t);
      const tok = (await exchange(t, code, verifier).expect(200)).body;
      const res = await introspect(tok.access_token);
      const id = decodeJwt(tok.id_token);
      expect(res).toMatchObject({
        active: true,
        scope: tok.scope,
        client_id: 'public-app',
        exp: decodeJwt(tok.access_token).exp,
        patient: 'demo-patient-1',
        encounter: 'demo-encounter-1',
        iss: id.iss,
        sub: id.sub,
        fhirUser: id.fhirUser,
      });
    });

    it('RFC 9396 §9.2: an override token introspects with its authorization_details, acr and auth_time, and lasts lifetimes.override', async () => {
      const grants = t.app.get(GrantStore);
      const base = await grants.grant(await grants.createGrant('public-app', { scope: 'patient/*.rs', kind: 'ehr', partition: 'demo', fhirUser: 'Practitioner/demo-practitioner' }));
      const details = [{ type: 'hookwarden-override' as const, rule: 'drug-allergy', level: 'reauthenticate' as const, htm: 'POST', htu: 'https://hookwarden.test/fhir/MedicationRequest', digest: 'sha-256=x', request: 'r1' }];
      const override = { details, acr: 'urn:hookwarden:acr:reauthenticate', authTime: 1_800_000_000, sub: 'Practitioner/demo-practitioner', baseGrant: base!.id };
      const grant = await grants.grant(await grants.createGrant('public-app', { ...base!.context, override }));
      const issued = await t.app.get(TokenIssuer).issue(grant!, 'patient/*.rs offline_access');
      expect({ expiresIn: issued.expires_in, refresh: issued.refresh_token, details: issued.authorization_details }).toEqual({ expiresIn: 300, refresh: undefined, details });
      expect(await introspect(issued.access_token)).toMatchObject({ active: true, authorization_details: details, acr: override.acr, auth_time: override.authTime });
    });

    it('a confidential client sees only its own tokens', async () => {
      const { code, verifier } = await ehrLaunchCode(t);
      const tok = (await exchange(t, code, verifier).expect(200)).body;
      const res = await request(t.server).post('/auth/introspect').auth('conf-app', CONF_SECRET).type('form').send({ token: tok.access_token }).expect(200);
      expect(res.body).toEqual({ active: false });
    });

    it('I3 garbage and expired tokens → 200 {active:false} only (frozen clock)', async () => {
      expect(await introspect('invalid_token_value')).toEqual({ active: false });
      const { code, verifier } = await ehrLaunchCode(t);
      const tok = (await exchange(t, code, verifier).expect(200)).body;
      const bearer = await backendToken();
      vi.useFakeTimers({ toFake: ['Date'] });
      try {
        vi.setSystemTime(Date.now() + 3601_000);
        // The introspecting bearer token expired as well, so the caller authenticates with a fresh assertion.
        const res = await request(t.server)
          .post('/auth/introspect')
          .type('form')
          .send({ token: tok.access_token, client_assertion_type: JWT_BEARER, client_assertion: await clientAssertion('backend', t.backendKey) })
          .expect(200);
        expect(res.body).toEqual({ active: false });
        const expiredBearer = await request(t.server).post('/auth/introspect').set('Authorization', `Bearer ${bearer}`).type('form').send({ token: tok.access_token });
        expectOAuthError(expiredBearer, 401, 'invalid_client', 'bearer token lacks the introspection scope');
      } finally {
        vi.useRealTimers();
      }
    });
  });

  describe('revocation', () => {
    it('V1 revoking an unknown token → 200', async () => {
      await request(t.server).post('/auth/revoke').type('form').send({ token: randomUUID(), client_id: 'public-app' }).expect(200);
    });

    it('V2 revoking the refresh token ends its access tokens and refresh', async () => {
      const { code, verifier } = await ehrLaunchCode(t);
      const tok = (await exchange(t, code, verifier).expect(200)).body;
      await request(t.server).post('/auth/revoke').type('form').send({ token: tok.refresh_token, token_type_hint: 'refresh_token', client_id: 'public-app' }).expect(200);
      expect(await introspect(tok.access_token)).toEqual({ active: false });
      expectOAuthError(await token({ grant_type: 'refresh_token', refresh_token: tok.refresh_token }), 400, 'invalid_grant', 'refresh token is no longer valid');
    });

    it('revoking an access token of another client has no effect; the owner can revoke it', async () => {
      const { code, verifier } = await ehrLaunchCode(t);
      const tok = (await exchange(t, code, verifier).expect(200)).body;
      await request(t.server).post('/auth/revoke').auth('conf-app', CONF_SECRET).type('form').send({ token: tok.access_token }).expect(200);
      expect((await introspect(tok.access_token)).active).toBe(true);
      await request(t.server).post('/auth/revoke').type('form').send({ token: tok.access_token, client_id: 'public-app' }).expect(200);
      expect(await introspect(tok.access_token)).toEqual({ active: false });
    });

    it('V3 an unknown token_type_hint → 400 unsupported_token_type', async () => {
      const res = await request(t.server).post('/auth/revoke').type('form').send({ token: 'x', token_type_hint: 'foo', client_id: 'public-app' });
      expectOAuthError(res, 400, 'unsupported_token_type', 'token_type_hint is not supported');
    });
  });

  it('housekeeping deletes expired launches and tokens but keeps live ones', async () => {
    const db = t.app.get<Database>(DATABASE);
    const stale = await t.launches.mint(binding());
    const { code, verifier } = await ehrLaunchCode(t);
    const tok = (await exchange(t, code, verifier).expect(200)).body;
    const purgeAt = new Date(Date.now() + (t.config.lifetimes.launch + 1) * 1000);
    const expired = async (table: string, before = purgeAt) =>
      Number((await db.query<{ n: string }>(`SELECT count(*) AS n FROM ${table} WHERE expires_at < $1`, [before]))[0].n);
    expect(await expired('smart_launches')).toBeGreaterThan(0);
    const recentAssertionIds = await expired('smart_assertion_jtis');
    expect(recentAssertionIds).toBeGreaterThan(0);
    await t.app.get(HousekeepingService).purge(purgeAt);
    for (const table of ['smart_launches', 'smart_access_tokens', 'smart_refresh_tokens', 'smart_transactions']) {
      expect(await expired(table)).toBe(0);
    }
    // J1: an assertion id outlives its `exp` by more than the accepted clock skew, so a late replay is still caught.
    expect(await expired('smart_assertion_jtis')).toBe(recentAssertionIds);
    expect(await expired('smart_assertion_jtis', new Date(purgeAt.getTime() - 10 * 60_000))).toBe(0);
    expect((await introspect(tok.access_token)).active).toBe(true);
    const res = await request(t.server).get('/auth/authorize').query(authParams(stale, pkce().challenge)).expect(303);
    expectRedirectError(res.headers.location, 'invalid_request', 'launch is unknown, expired or already used');
  });

  describe('backend services (client_credentials + private_key_jwt)', () => {
    it('J11 success: expires_in ≤ 300, no refresh token, system scope', async () => {
      const res = await backend();
      expect(res.status).toBe(200);
      expect(res.body.expires_in).toBeLessThanOrEqual(300);
      expect(res.body.refresh_token).toBeUndefined();
      expect(res.body.scope).toBe('system/Patient.rs');
      expect(res.body.token_type).toBe('Bearer');
    });

    it('J1 the same jti twice → invalid_client', async () => {
      const assertion = await clientAssertion('backend', t.backendKey);
      const form = { grant_type: 'client_credentials', scope: 'system/Patient.rs', client_assertion_type: JWT_BEARER, client_assertion: assertion };
      await token(form).expect(200);
      expectOAuthError(await token(form), 401, 'invalid_client', 'client_assertion jti was already used');
    });

    it.each([
      ['J2 exp more than 5 minutes ahead', { exp: Math.floor(Date.now() / 1000) + 900 }, {}, 'client_assertion exp is too far in the future'],
      ['J2 exp in the past', { exp: Math.floor(Date.now() / 1000) - 120 }, {}, 'client_assertion verification failed'],
      ['J3 aud is the FHIR base', { aud: FHIR_BASE }, {}, 'client_assertion verification failed'],
      ['J4 iss differs from sub', { sub: 'someone-else' }, {}, 'unknown client or iss != sub'],
      ['J4 iss is not a known client', { iss: 'not_a_valid_iss', sub: 'not_a_valid_iss' }, {}, 'unknown client or iss != sub'],
      ['J6 unknown kid', {}, { kid: 'nope' }, 'no single matching key for kid'],
      ['J7 jku not the registered JWKS URL', {}, { jku: 'https://evil.test/jwks.json' }, 'jku is not the registered JWKS URL'],
      ['typ missing', {}, { typ: undefined }, 'client_assertion header must carry typ JWT, kid and alg RS384 or ES384'],
    ])('%s → 401 invalid_client', async (_, claims, header, description) => {
      expectOAuthError(await backend(claims, header as Record<string, unknown>), 401, 'invalid_client', description);
    });

    it('J5 alg none and HS256 signed with the public key → invalid_client', async () => {
      const now = Math.floor(Date.now() / 1000);
      const claims = { iss: 'backend', sub: 'backend', aud: TOKEN_URL, exp: now + 60, jti: randomUUID() };
      const none = `${b64({ alg: 'none', typ: 'JWT', kid: t.backendKey.kid })}.${b64(claims)}.`;
      const hs = await new SignJWT({ ...claims, jti: randomUUID() })
        .setProtectedHeader({ alg: 'HS256', typ: 'JWT', kid: t.backendKey.kid })
        .sign(new TextEncoder().encode(JSON.stringify(t.backendKey.publicJwk)));
      for (const assertion of [none, hs]) {
        const res = await token({ grant_type: 'client_credentials', scope: 'system/Patient.rs', client_assertion_type: JWT_BEARER, client_assertion: assertion });
        expectOAuthError(res, 401, 'invalid_client', 'client_assertion header must carry typ JWT, kid and alg RS384 or ES384');
      }
    });

    it('J5 an alg outside RS384/ES384 (ES256) → invalid_client', async () => {
      const { privateKey } = await generateKeyPair('ES256');
      const now = Math.floor(Date.now() / 1000);
      const assertion = await new SignJWT({ iss: 'backend', sub: 'backend', aud: TOKEN_URL, exp: now + 60, jti: randomUUID() })
        .setProtectedHeader({ alg: 'ES256', typ: 'JWT', kid: t.backendKey.kid })
        .sign(privateKey);
      const res = await token({ grant_type: 'client_credentials', scope: 'system/Patient.rs', client_assertion_type: JWT_BEARER, client_assertion: assertion });
      expectOAuthError(res, 401, 'invalid_client', 'client_assertion header must carry typ JWT, kid and alg RS384 or ES384');
    });

    it('J8 signature by another key with the registered kid → invalid_client', async () => {
      const other = await makeClientKey('ES384', t.backendKey.kid);
      const res = await token({ grant_type: 'client_credentials', scope: 'system/Patient.rs', client_assertion_type: JWT_BEARER, client_assertion: await clientAssertion('backend', other) });
      expectOAuthError(res, 401, 'invalid_client', 'client_assertion verification failed');
    });

    it('J10 scope outside the registration → invalid_scope; user scopes are never granted', async () => {
      for (const scope of ['system/Condition.rs', 'system/Patient.cruds', 'user/Patient.rs', 'system/Patient.rs offline_access']) {
        expectOAuthError(await backend({}, {}, { scope }), 400, 'invalid_scope', 'scope is outside what this client is registered for');
      }
    });

    it('invalid grant type → 400; invalid client_assertion_type → 401; public clients may not use client_credentials', async () => {
      expectOAuthError(await backend({}, {}, { grant_type: 'not_a_grant_type' }), 400, 'unsupported_grant_type', 'grant_type not_a_grant_type is not supported');
      expectOAuthError(await backend({}, {}, { client_assertion_type: 'not_an_assertion_type' }), 401, 'invalid_client', 'unsupported client_assertion_type');
      const publicClient = await token({ grant_type: 'client_credentials', scope: 'system/Patient.rs', client_id: 'public-app' });
      expectOAuthError(publicClient, 400, 'unauthorized_client', 'client_credentials requires private_key_jwt');
    });
  });
});

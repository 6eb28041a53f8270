import { jwtVerify, createLocalJWKSet } from 'jose';
import request from 'supertest';
import { KeysService } from '../src/smart/keys.service.js';
import { buildTestConfig, createTestApp, TEST_PUBLIC_URL } from './helpers/test-app.js';
import { FHIR_BASE } from './helpers/smart-harness.js';

describe('SMART discovery and signing keys', () => {
  it('D1 smart-configuration: JSON for any Accept, absolute URLs, pinned capabilities, scopes and grants, CORS any origin', async () => {
    const t = await createTestApp();
    try {
      const res = await request(t.server)
        .get('/fhir/.well-known/smart-configuration')
        .set('Accept', 'text/html')
        .set('Origin', 'https://inferno.test')
        .expect(200)
        .expect('Content-Type', /^application\/json/);
      expect(res.headers['access-control-allow-origin']).toBe('*');
      const d = res.body as Record<string, unknown>;
      expect(d.issuer).toBe(FHIR_BASE);
      for (const k of ['authorization_endpoint', 'token_endpoint', 'jwks_uri', 'introspection_endpoint', 'revocation_endpoint']) {
        expect(String(d[k]).startsWith(`${TEST_PUBLIC_URL}/`)).toBe(true);
      }
      expect(d.grant_types_supported).toEqual(['authorization_code', 'client_credentials', 'refresh_token']);
      expect(d.code_challenge_methods_supported).toEqual(['S256']);
      expect(d.response_types_supported).toEqual(['code']);
      expect(d.token_endpoint_auth_signing_alg_values_supported).toEqual(['RS384', 'ES384']);
      expect(d.authorization_response_iss_parameter_supported).toBe(true);
      expect(d.capabilities).toEqual([
        'launch-ehr',
        'launch-standalone',
        'authorize-post',
        'client-public',
        'client-confidential-symmetric',
        'client-confidential-asymmetric',
        'sso-openid-connect',
        'context-banner',
        'context-style',
        'context-ehr-patient',
        'context-ehr-encounter',
        'context-standalone-patient',
        'permission-offline',
        'permission-online',
        'permission-patient',
        'permission-user',
        'permission-v1',
        'permission-v2',
      ]);
      expect(d.scopes_supported).toEqual([
        'openid',
        'fhirUser',
        'launch',
        'launch/patient',
        'offline_access',
        'online_access',
        'patient/*.rs',
        'patient/*.cruds',
        'patient/*.read',
        'user/*.rs',
        'user/*.cruds',
        'user/*.read',
        'system/*.rs',
        '__introspect',
      ]);

      const oidc = await request(t.server).get('/fhir/.well-known/openid-configuration').expect(200);
      expect(oidc.body.issuer).toBe(d.issuer);
      for (const k of ['authorization_endpoint', 'token_endpoint', 'jwks_uri', 'response_types_supported', 'subject_types_supported']) {
        expect(oidc.body[k]).toBeDefined();
      }
      expect(oidc.body.id_token_signing_alg_values_supported).toContain('RS256');

      const style = await request(t.server).get('/auth/smart-style.json').expect(200).expect('Content-Type', /json/);
      expect(style.body.color_background).toBeDefined();
    } finally {
      await t.close();
    }
  });

  it('publishes an RSA JWKS, keeps the key across restarts (database) and keeps retired keys after rotation', async () => {
    const config = buildTestConfig();
    const first = await createTestApp(config);
    const jwks1 = (await request(first.server).get('/auth/jwks').expect(200)).body as { keys: { kty: string; kid: string; d?: string }[] };
    expect(jwks1.keys).toHaveLength(1);
    expect(jwks1.keys[0].kty).toBe('RSA');
    expect(jwks1.keys[0].d).toBeUndefined();
    const oldToken = await first.app.get(KeysService).sign({ sub: 'x', aud: 'y' });
    await first.close({ keepData: true });

    const second = await createTestApp(config);
    try {
      const jwks2 = (await request(second.server).get('/auth/jwks').expect(200)).body as { keys: { kid: string }[] };
      expect(jwks2.keys.map((k) => k.kid)).toEqual([jwks1.keys[0].kid]);

      const newKid = await second.app.get(KeysService).rotate();
      const jwks3 = (await request(second.server).get('/auth/jwks').expect(200)).body as { keys: { kid: string }[] };
      expect(jwks3.keys.map((k) => k.kid)).toEqual([newKid, jwks1.keys[0].kid]);
      const set = createLocalJWKSet(jwks3 as never);
      await expect(jwtVerify(oldToken, set)).resolves.toBeDefined();
      const fresh = await second.app.get(KeysService).sign({ sub: 'x' });
      expect(JSON.parse(Buffer.from(fresh.split('.')[0], 'base64url').toString()).kid).toBe(newKid);
    } finally {
      await second.close();
    }
  });
});

describe('SMART client registration', () => {
  it('A15 refuses to start with a non-loopback http redirect URI', async () => {
    const config = buildTestConfig({
      smartClients: [{ clientId: 'plain', name: 'Plain', redirectUris: ['http://app.example/cb'], scope: 'openid', auth: 'none' }],
    });
    await expect(createTestApp(config)).rejects.toThrow(/must use https/);
  });
});

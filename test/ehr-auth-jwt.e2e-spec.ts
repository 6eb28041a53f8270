import request from 'supertest';
import { CDS_HOOKS_SANDBOX_EHR } from '../src/config/sandbox-profile.js';
import { openDatabase } from '../src/store/open-database.js';
import { createEhrAuthTestApp, PROBE_PATH, raceSameJwt, startCountingServer, type CountingServer } from './helpers/ehr-auth-app.js';
import { hs256Jwt, makeTestEhr, unsignedJwt, validClaims, type TestEhr } from './helpers/ehr-jwt.js';
import { buildTestConfig, TEST_PUBLIC_URL, type TestApp } from './helpers/test-app.js';

const SERVICE_PATH = `${PROBE_PATH}/medication-safety`;
const SERVICE_URL = `${TEST_PUBLIC_URL}${SERVICE_PATH}`;
const DISCOVERY_URL = `${TEST_PUBLIC_URL}${PROBE_PATH}`;
const FEEDBACK_URL = `${SERVICE_URL}/feedback`;
const BARE_401 = { resourceType: 'OperationOutcome', issue: [{ severity: 'error', code: 'login' }] };

function call(t: TestApp, jwt?: string, path = SERVICE_PATH) {
  const req = request(t.server).post(path).send({ hook: 'order-sign' });
  return jwt === undefined ? req : req.set('Authorization', `Bearer ${jwt}`);
}

async function expect401(res: request.Response): Promise<void> {
  expect(res.status).toBe(401);
  expect(res.body).toEqual(BARE_401);
}

describe('CDS client JWT authentication (CDS Hooks §Trusting CDS Clients)', () => {
  let t: TestApp;
  let es: TestEhr;
  let rs: TestEhr;
  let tenanted: TestEhr;
  let attacker: CountingServer;

  beforeAll(async () => {
    es = await makeTestEhr({ alg: 'ES384' });
    rs = await makeTestEhr({ alg: 'RS384' });
    tenanted = await makeTestEhr();
    attacker = await startCountingServer({ keys: [] });
    t = await createEhrAuthTestApp(
      buildTestConfig({
        ehrs: [es.config(), rs.config({ algorithms: ['RS384'] }), tenanted.config({ tenants: ['clinic-a'] })],
      }),
    );
  });
  afterAll(async () => {
    await t.close();
    await attacker.close();
  });
  afterEach(() => vi.useRealTimers());

  it('accepts ES384 and sets req.cdsClient', async () => {
    const res = await call(t, await es.sign(SERVICE_URL, { jti: 'jti-es384' })).expect(201);
    expect(res.body).toEqual({ authenticated: true, issuer: es.issuer, jti: 'jti-es384', ehr: es.issuer });
  });

  it('accepts RS384', async () => {
    const res = await call(t, await rs.sign(SERVICE_URL)).expect(201);
    expect(res.body).toMatchObject({ authenticated: true, issuer: rs.issuer });
  });

  it('accepts aud as an array containing the invoked URL, and the discovery and feedback URLs on their endpoints', async () => {
    await call(t, await es.sign([`${TEST_PUBLIC_URL}/other`, SERVICE_URL])).expect(201);
    await request(t.server).get(PROBE_PATH).set('Authorization', `Bearer ${await es.sign(DISCOVERY_URL)}`).expect(200);
    await call(t, await es.sign(FEEDBACK_URL), `${SERVICE_PATH}/feedback`).expect(201);
  });

  it('N1 rejects a call without Authorization or with another scheme', async () => {
    await expect401(await call(t));
    await expect401(await call(t).set('Authorization', 'Basic dXNlcjpwYXNz'));
    await expect401(await call(t, 'not-a-jwt'));
  });

  it('N2 rejects a bad signature (other key under the same kid, tampered claims)', async () => {
    const impostor = await makeTestEhr({ issuer: es.issuer, kid: es.kid });
    await expect401(await call(t, await impostor.sign(SERVICE_URL)));
    const [h, , s] = (await es.sign(SERVICE_URL)).split('.');
    const tampered = Buffer.from(JSON.stringify(validClaims(es, SERVICE_URL))).toString('base64url');
    await expect401(await call(t, `${h}.${tampered}.${s}`));
  });

  it('N3 rejects alg none and HS256 (public key used as HMAC secret)', async () => {
    await expect401(await call(t, unsignedJwt(validClaims(es, SERVICE_URL), { kid: es.kid })));
    const hs = await hs256Jwt(JSON.stringify(es.publicJwk), validClaims(es, SERVICE_URL), { kid: es.kid });
    await expect401(await call(t, hs));
  });

  it('rejects an algorithm the issuer is not configured for, a missing kid and a wrong typ', async () => {
    const esAsRs = await makeTestEhr({ issuer: rs.issuer, alg: 'ES384', kid: rs.kid });
    await expect401(await call(t, await esAsRs.sign(SERVICE_URL)));
    await expect401(await call(t, await es.sign(SERVICE_URL, {}, { kid: undefined })));
    await expect401(await call(t, await es.sign(SERVICE_URL, {}, { typ: 'at+jwt' })));
  });

  it('N4 rejects aud of another service, the discovery URL and the trailing-slash variant', async () => {
    await expect401(await call(t, await es.sign(`${DISCOVERY_URL}/other-service`)));
    await expect401(await call(t, await es.sign(DISCOVERY_URL)));
    await expect401(await call(t, await es.sign(`${SERVICE_URL}/`)));
    await expect401(await call(t, await es.sign(SERVICE_URL), `${SERVICE_PATH}/feedback`));
  });

  it('N4 computes aud from the configured public URL, not from the Host header', async () => {
    const viaHost = `http://attacker.example${SERVICE_PATH}`;
    await expect401(await call(t, await es.sign(viaHost)).set('Host', 'attacker.example'));
  });

  it('N5 rejects an expired token (60 s leeway), a lifetime over 5 minutes and an iat in the future', async () => {
    const now = Date.parse('2026-11-23T10:00:00Z');
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(now);
    const s = now / 1000;
    await expect401(await call(t, await es.sign(SERVICE_URL, { iat: s - 300, exp: s - 61 })));
    await call(t, await es.sign(SERVICE_URL, { iat: s - 300, exp: s - 59 })).expect(201);
    await expect401(await call(t, await es.sign(SERVICE_URL, { iat: s, exp: s + 361 })));
    await expect401(await call(t, await es.sign(SERVICE_URL, { iat: s + 120, exp: s + 300 })));
    await expect401(await call(t, await es.sign(SERVICE_URL, { exp: undefined })));
  });

  it('N6 rejects a replayed jti, and a missing jti', async () => {
    const jwt = await es.sign(SERVICE_URL);
    await call(t, jwt).expect(201);
    await expect401(await call(t, jwt));
    await expect401(await call(t, await es.sign(SERVICE_URL, { jti: undefined })));
  });

  it('N7 rejects an unknown iss and a jku off the allow-list without any outbound request', async () => {
    const stranger = await makeTestEhr();
    await expect401(await call(t, await stranger.sign(SERVICE_URL, {}, { jku: attacker.url })));
    await expect401(await call(t, await es.sign(SERVICE_URL, {}, { jku: attacker.url })));
    await expect401(await call(t, await es.sign(SERVICE_URL, {}, { jku: attacker.url, kid: 'attacker-key' })));
    expect(attacker.requests).toEqual([]);
  });

  it('accepts a listed tenant and rejects another or a missing one', async () => {
    const res = await call(t, await tenanted.sign(SERVICE_URL, { tenant: 'clinic-a' })).expect(201);
    expect(res.body.tenant).toBe('clinic-a');
    await expect401(await call(t, await tenanted.sign(SERVICE_URL, { tenant: 'clinic-b' })));
    await expect401(await call(t, await tenanted.sign(SERVICE_URL)));
  });

  it('N9 answers every refusal with the same body and no detail', async () => {
    const used = await es.sign(SERVICE_URL);
    await call(t, used).expect(201);
    const responses = [
      await call(t),
      await call(t, await (await makeTestEhr({ issuer: es.issuer, kid: es.kid })).sign(SERVICE_URL)),
      await call(t, await es.sign(DISCOVERY_URL)),
      await call(t, await (await makeTestEhr()).sign(SERVICE_URL)),
      await call(t, used),
    ];
    const bodies = new Set(responses.map((r) => `${r.status} ${r.text}`));
    expect(bodies).toEqual(new Set([`401 ${JSON.stringify(BARE_401)}`]));
    for (const r of responses) expect(r.headers['www-authenticate']).toBe('Bearer');
  });
});

describe('CDS client keys from a jwksUrl (cache, rate limit, rotation)', () => {
  let t: TestApp;
  let jwks: CountingServer;
  let keyA: TestEhr;
  let keyB: TestEhr;
  const start = Date.parse('2026-11-23T10:00:00Z');

  beforeAll(async () => {
    keyA = await makeTestEhr({ issuer: 'https://rotating-ehr.test' });
    keyB = await makeTestEhr({ issuer: 'https://rotating-ehr.test' });
    jwks = await startCountingServer({ keys: [keyA.publicJwk] });
    t = await createEhrAuthTestApp(
      buildTestConfig({ ehrs: [{ issuer: keyA.issuer, jwksUrl: jwks.url, algorithms: ['ES384'] }] }),
      { jwksCache: { cooldownMs: 30_000, cacheMaxAgeMs: 120_000 } },
    );
  });
  afterAll(async () => {
    await t.close();
    await jwks.close();
  });
  afterEach(() => vi.useRealTimers());

  it('N8 refreshes the JWKS once for an unknown kid, then 401, and not again inside the rate limit', async () => {
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(start);
    await call(t, await keyA.sign(SERVICE_URL)).expect(201);
    expect(jwks.requests).toHaveLength(1);
    vi.setSystemTime(start + 31_000);
    await expect401(await call(t, await keyA.sign(SERVICE_URL, {}, { kid: 'unknown-kid' })));
    expect(jwks.requests).toHaveLength(2);
    vi.setSystemTime(start + 35_000);
    await expect401(await call(t, await keyA.sign(SERVICE_URL, {}, { kid: 'another-unknown-kid' })));
    expect(jwks.requests).toHaveLength(2);
    expect(jwks.requests.every((r) => r === 'GET /.well-known/jwks.json')).toBe(true);
  });

  it('picks up a new kid, keeps an old key only for the cache lifetime, and accepts a matching jku', async () => {
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(start + 70_000);
    jwks.body = { keys: [keyA.publicJwk, keyB.publicJwk] };
    await call(t, await keyB.sign(SERVICE_URL, {}, { jku: jwks.url })).expect(201);
    expect(jwks.requests).toHaveLength(3);

    jwks.body = { keys: [keyB.publicJwk] };
    vi.setSystemTime(start + 100_000);
    await call(t, await keyA.sign(SERVICE_URL)).expect(201);
    expect(jwks.requests).toHaveLength(3);

    vi.setSystemTime(start + 70_000 + 121_000);
    await expect401(await call(t, await keyA.sign(SERVICE_URL)));
    expect(jwks.requests).toHaveLength(4);
    await call(t, await keyB.sign(SERVICE_URL)).expect(201);
    expect(jwks.requests).toHaveLength(4);
  });
});

describe('CDS client refusal logging', () => {
  it('logs the failed check, iss and jti, and never the token', async () => {
    const ehr = await makeTestEhr();
    const lines: string[] = [];
    const capture = (m: unknown) => void lines.push(String(m));
    const t = await createEhrAuthTestApp(buildTestConfig({ ehrs: [ehr.config()] }), {
      logger: { log: capture, warn: capture, error: capture, debug: capture, verbose: capture },
    });
    try {
      const jwt = await ehr.sign(DISCOVERY_URL, { jti: 'jti-logged', iss: ehr.issuer });
      await expect401(await call(t, jwt));
      const refusals = lines.filter((l) => l.startsWith('CDS client refused'));
      expect(refusals).toEqual([`CDS client refused: check=audience iss=${JSON.stringify(ehr.issuer)} jti="jti-logged"`]);
      for (const part of jwt.split('.')) expect(lines.join('\n')).not.toContain(part);
    } finally {
      await t.close();
    }
  });
});

describe('CDS client keys when the EHR JWKS endpoint is down', () => {
  it('fetches once per cooldown, not once per token, then recovers', async () => {
    const ehr = await makeTestEhr({ issuer: 'https://flaky-ehr.test' });
    const jwks = await startCountingServer({ keys: [ehr.publicJwk] });
    jwks.status = 503;
    const t = await createEhrAuthTestApp(buildTestConfig({ ehrs: [{ issuer: ehr.issuer, jwksUrl: jwks.url }] }), {
      jwksCache: { cooldownMs: 30_000 },
    });
    const start = Date.parse('2026-11-23T10:00:00Z');
    try {
      vi.useFakeTimers({ toFake: ['Date'] });
      vi.setSystemTime(start);
      await expect401(await call(t, await ehr.sign(SERVICE_URL)));
      await expect401(await call(t, await ehr.sign(SERVICE_URL)));
      await expect401(await call(t, await ehr.sign(SERVICE_URL, {}, { kid: 'other' })));
      expect(jwks.requests).toHaveLength(1);
      jwks.status = 200;
      vi.setSystemTime(start + 31_000);
      await call(t, await ehr.sign(SERVICE_URL)).expect(201);
      expect(jwks.requests).toHaveLength(2);
    } finally {
      vi.useRealTimers();
      await t.close();
      await jwks.close();
    }
  });
});

describe('CDS client JWT with auth.required false', () => {
  it('passes unauthenticated callers as {authenticated:false, issuer:null}', async () => {
    const t = await createEhrAuthTestApp(buildTestConfig({ auth: { required: false } }));
    try {
      const res = await call(t).expect(201);
      expect(res.body).toEqual({ authenticated: false, issuer: null });
    } finally {
      await t.close();
    }
  });
});

describe('CDS client JWT with the cds-hooks-sandbox profile', () => {
  it('resolves the sandbox kid and jku from the pinned set without fetching (then refuses a key it did not sign with)', async () => {
    const t = await createEhrAuthTestApp(buildTestConfig({ profiles: ['cds-hooks-sandbox'] }, { ehrs: [CDS_HOOKS_SANDBOX_EHR] }));
    const fetchSpy = vi.spyOn(globalThis, 'fetch');
    try {
      const notSandbox = await makeTestEhr({ issuer: CDS_HOOKS_SANDBOX_EHR.issuer, kid: '44823f3d-0b01-4a6c-a80e-b9d3e8a7226f' });
      const jwt = await notSandbox.sign(SERVICE_URL, {}, { jku: 'https://sandbox.cds-hooks.org/.well-known/jwks.json' });
      await expect401(await call(t, jwt));
      expect(fetchSpy).not.toHaveBeenCalled();
    } finally {
      fetchSpy.mockRestore();
      await t.close();
    }
  });
});

describe('jti single use across instances sharing one database', () => {
  it('N6 the same jti sent concurrently to two instances succeeds exactly once', async () => {
    const ehr = await makeTestEhr();
    const db = await openDatabase({ dataDir: 'memory://' });
    const config = buildTestConfig({ ehrs: [ehr.config()] });
    const one = await createEhrAuthTestApp(config, { db });
    const two = await createEhrAuthTestApp(config, { db });
    try {
      for (let i = 0; i < 5; i++) {
        const statuses = await raceSameJwt([one.server, two.server], SERVICE_PATH, await ehr.sign(SERVICE_URL));
        expect(statuses.sort()).toEqual([201, 401]);
      }
    } finally {
      await one.close();
      await two.close().catch(() => undefined);
      await db.close();
    }
  });
});

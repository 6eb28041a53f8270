import { randomUUID } from 'node:crypto';
import request from 'supertest';
import { notOkFixture } from './helpers/card-launch.js';
import { makeTestEhr } from './helpers/ehr-jwt.js';
import { authParams, CONF_REDIRECT, createSmartApp, csrfOf, ehrLaunchCode, exchange, pkce, type SmartTestApp, txCookie } from './helpers/smart-harness.js';
import { TEST_PUBLIC_URL } from './helpers/test-app.js';

const SERVICE = 'medication-safety-order-sign';

/** The value of one sample line (`name{labels} value`) of the exposition text; 0 when absent. */
function sample(text: string, name: string, labels: Record<string, string>): number {
  const want = Object.entries(labels).map(([k, v]) => `${k}="${v}"`);
  const line = text.split('\n').find((l) => l.startsWith(`${name}{`) && want.every((w) => l.includes(w)));
  return line ? Number(line.split(' ').at(-1)) : 0;
}

describe('/metrics (Prometheus)', () => {
  let t: SmartTestApp;
  let ehr: Awaited<ReturnType<typeof makeTestEhr>>;
  beforeAll(async () => {
    ehr = await makeTestEhr();
    t = await createSmartApp({ ehrs: [ehr.config()] });
  });
  afterAll(() => t.close());

  const scrape = async () => {
    const res = await request(t.server).get('/metrics').expect(200);
    expect(res.headers['content-type']).toMatch(/^text\/plain; version=0\.0\.4/);
    return res.text;
  };

  it('counts hook calls by service, hook and status, their latency and cards by indicator, and the batch sizes reached', async () => {
    const path = `/cds-services/${SERVICE}`;
    const body = { ...notOkFixture('order-sign-statin-macrolide'), hookInstance: randomUUID() };
    const res = await request(t.server).post(path).set('Authorization', `Bearer ${await ehr.sign(`${TEST_PUBLIC_URL}${path}`)}`).send(body).expect(200);
    const indicators = (res.body.cards as { indicator: string }[]).map((c) => c.indicator);
    expect(indicators.length).toBeGreaterThan(0);
    await request(t.server).post(path).set('Authorization', `Bearer ${await ehr.sign(`${TEST_PUBLIC_URL}${path}`)}`).send({ hook: 'order-sign' }).expect(400);

    const text = await scrape();
    const labels = { service: SERVICE, hook: 'order-sign' };
    expect(sample(text, 'hookwarden_cds_calls_total', { ...labels, status: '200' })).toBe(1);
    expect(sample(text, 'hookwarden_cds_call_duration_seconds_count', labels)).toBe(1);
    for (const indicator of new Set(indicators)) {
      expect(sample(text, 'hookwarden_cds_cards_total', { service: SERVICE, indicator })).toBe(indicators.filter((i) => i === indicator).length);
    }
    expect(sample(text, 'hookwarden_store_batch_size_count', { table: 'ehr_jti' })).toBe(2);
    expect(sample(text, 'hookwarden_store_batch_size_count', { table: 'cds_invocations' })).toBe(1);
    // A body refused before the call ran (400) is no service call.
    expect(sample(text, 'hookwarden_cds_calls_total', { ...labels, status: '400' })).toBe(0);
  });

  it('counts launches and token requests by grant type and outcome', async () => {
    const { code, verifier } = await ehrLaunchCode(t);
    await exchange(t, code, verifier).expect(200);
    await exchange(t, code, verifier).expect(400);
    await request(t.server).post('/auth/token').type('form').send({ grant_type: 'urn:made-up', client_id: 'public-app' }).expect(400);
    const text = await scrape();
    expect(sample(text, 'hookwarden_smart_launches_total', { client: 'public-app' })).toBe(1);
    expect(sample(text, 'hookwarden_smart_token_requests_total', { grant_type: 'authorization_code', outcome: 'ok' })).toBe(1);
    expect(sample(text, 'hookwarden_smart_token_requests_total', { grant_type: 'authorization_code', outcome: 'invalid_grant' })).toBe(1);
    expect(sample(text, 'hookwarden_smart_token_requests_total', { grant_type: 'other', outcome: 'unsupported_grant_type' })).toBe(1);
    expect(text).not.toContain(code);
  });

  it('counts failed logins', async () => {
    const params = authParams(undefined, pkce().challenge, { client_id: 'conf-app', redirect_uri: CONF_REDIRECT });
    const cookie = txCookie((await request(t.server).get('/auth/authorize').query(params).expect(303)).headers['set-cookie']);
    const login = await request(t.server).get('/auth/interaction').set('Cookie', cookie).expect(200);
    await request(t.server).post('/auth/interaction').set('Cookie', cookie).type('form').send({ csrf: csrfOf(login.text), step: 'login', username: 'clin', password: 'wrong' }).expect(303);
    expect(sample(await scrape(), 'hookwarden_smart_login_failures_total', { reason: 'credentials' })).toBe(1);
  });
});

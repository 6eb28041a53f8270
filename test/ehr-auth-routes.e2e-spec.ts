import request from 'supertest';
import { makeTestEhr, type TestEhr } from './helpers/ehr-jwt.js';
import { buildTestConfig, createTestApp, TEST_PUBLIC_URL, type TestApp } from './helpers/test-app.js';

// The guard on the real CDS routes (discovery, service call, feedback) with the real exception filter.
const SERVICE = '/cds-services/medication-safety-order-sign';
const BARE_401 = { resourceType: 'OperationOutcome', issue: [{ severity: 'error', code: 'login' }] };

describe('CDS client JWT on the real /cds-services routes', () => {
  let t: TestApp;
  let ehr: TestEhr;

  beforeAll(async () => {
    ehr = await makeTestEhr();
    t = await createTestApp(buildTestConfig({ ehrs: [ehr.config()] }));
  });
  afterAll(() => t.close());

  const bearer = async (aud: string) => `Bearer ${await ehr.sign(aud)}`;

  it('D1 discovery answers with a JWT whose aud is the discovery URL', async () => {
    const res = await request(t.server).get('/cds-services').set('Authorization', await bearer(`${TEST_PUBLIC_URL}/cds-services`));
    expect(res.status).toBe(200);
    expect(Array.isArray(res.body.services)).toBe(true);
  });

  it('N1 discovery, service call and feedback refuse a call without Authorization', async () => {
    const responses = [
      await request(t.server).get('/cds-services'),
      await request(t.server).post(SERVICE).send({}),
      await request(t.server).post(`${SERVICE}/feedback`).send({ feedback: [] }),
    ];
    for (const r of responses) {
      expect(r.status).toBe(401);
      expect(r.body).toEqual(BARE_401);
    }
  });

  it('N4 / F5 refuse a service aud on discovery, a discovery aud on the service, a service aud on feedback, a trailing slash', async () => {
    const responses = [
      await request(t.server).get('/cds-services').set('Authorization', await bearer(`${TEST_PUBLIC_URL}${SERVICE}`)),
      await request(t.server).post(SERVICE).set('Authorization', await bearer(`${TEST_PUBLIC_URL}/cds-services`)).send({}),
      await request(t.server).post(SERVICE).set('Authorization', await bearer(`${TEST_PUBLIC_URL}${SERVICE}/`)).send({}),
      await request(t.server).post(`${SERVICE}/feedback`).set('Authorization', await bearer(`${TEST_PUBLIC_URL}${SERVICE}`)).send({ feedback: [] }),
    ];
    expect(responses.map((r) => r.status)).toEqual([401, 401, 401, 401]);
  });

  it('N9 every refusal on the real routes has one identical body', async () => {
    const stranger = await makeTestEhr();
    const responses = [
      await request(t.server).post(SERVICE).send({}),
      await request(t.server).post(SERVICE).set('Authorization', `Bearer ${await stranger.sign(`${TEST_PUBLIC_URL}${SERVICE}`)}`).send({}),
      await request(t.server).post(SERVICE).set('Authorization', await bearer(`${TEST_PUBLIC_URL}/cds-services`)).send({}),
      await request(t.server).post(SERVICE).set('Authorization', `Bearer ${await ehr.sign(`${TEST_PUBLIC_URL}${SERVICE}`, { exp: 1 })}`).send({}),
    ];
    expect(new Set(responses.map((r) => `${r.status} ${r.text}`))).toEqual(new Set([`401 ${JSON.stringify(BARE_401)}`]));
  });
});

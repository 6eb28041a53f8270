import { randomUUID } from 'node:crypto';
import { SignJWT } from 'jose';
import request from 'supertest';
import { requestFor } from './fixtures/cds/requests.js';
import { fixtureServices, orderSignService } from './fixtures/cds/services.js';
import { expectOperationOutcome } from './helpers/cds-assertions.js';
import { startCdsTest, type CdsTestClient } from './helpers/cds-app.js';
import { clientAssertion, createSmartApp, TOKEN_URL, type SmartTestApp } from './helpers/smart-harness.js';
import { TEST_PUBLIC_URL } from './helpers/test-app.js';

// Issue 10 item 11, RFC 7515 §4.1.11: "If any of the listed extension Header Parameters are not understood
// and supported by the recipient, then the JWS is invalid." Neither CDS Hooks nor SMART defines one.
const JWT_BEARER = 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer';

describe('item 11: JWTs with an unknown crit header are rejected', () => {
  let c: CdsTestClient;
  let t: SmartTestApp;
  beforeAll(async () => {
    c = await startCdsTest(fixtureServices);
    t = await createSmartApp();
  });
  afterAll(async () => {
    await c.t.close();
    await t.close();
  });

  const callWith = (jwt: string) =>
    request(c.t.server).post(`/cds-services/${orderSignService.id}`).set('Authorization', `Bearer ${jwt}`).send(requestFor('order-sign'));
  const aud = `${TEST_PUBLIC_URL}/cds-services/${orderSignService.id}`;

  it('item 11: an EHR JWT, correctly signed, naming an unknown crit extension → 401', async () => {
    // jose refuses to sign an unknown crit unless told it is understood; the EHR side "understands" it.
    const now = Math.floor(Date.now() / 1000);
    const jwt = await new SignJWT({ iss: c.ehr.issuer, aud, iat: now, exp: now + 300, jti: randomUUID(), 'x-hook': 1 })
      .setProtectedHeader({ alg: c.ehr.alg, typ: 'JWT', kid: c.ehr.kid, crit: ['x-hook'], 'x-hook': true })
      .sign(c.ehr.privateKey, { crit: { 'x-hook': true } });
    expectOperationOutcome(await callWith(jwt), 401, ['login']);
  });

  it('item 11: the same EHR JWT without crit is accepted (the case above fails only for crit)', async () => {
    expect((await callWith(await c.ehr.sign(aud, {}, { 'x-hook': true }))).status).toBe(200);
  });

  it('item 11: a client assertion naming an unknown crit extension → 401 invalid_client', async () => {
    const now = Math.floor(Date.now() / 1000);
    const assertion = await new SignJWT({ iss: 'backend', sub: 'backend', aud: TOKEN_URL, exp: now + 240, jti: randomUUID() })
      .setProtectedHeader({ alg: t.backendKey.alg, kid: t.backendKey.kid, typ: 'JWT', crit: ['x-ext'], 'x-ext': 1 })
      .sign(t.backendKey.privateKey, { crit: { 'x-ext': true } });
    const token = (client_assertion: string) =>
      request(t.server).post('/auth/token').type('form').send({ grant_type: 'client_credentials', scope: 'system/Patient.rs', client_assertion_type: JWT_BEARER, client_assertion });
    const res = await token(assertion);
    expect({ status: res.status, error: res.body.error }).toEqual({ status: 401, error: 'invalid_client' });
    expect((await token(await clientAssertion('backend', t.backendKey))).status).toBe(200);
  });
});

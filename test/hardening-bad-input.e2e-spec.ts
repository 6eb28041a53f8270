import { randomUUID } from 'node:crypto';
import request from 'supertest';
import { requestFor } from './fixtures/cds/requests.js';
import { fixtureServices, orderSelectService } from './fixtures/cds/services.js';
import { expectOperationOutcome } from './helpers/cds-assertions.js';
import { startCdsTest, type CdsTestClient } from './helpers/cds-app.js';
import { APP_REDIRECT, authParams, clientAssertion, createSmartApp, ehrLaunchCode, exchange, pkce, type SmartTestApp } from './helpers/smart-harness.js';

// Issue 10 item 8 beyond the hook data the medication-safety reader already handles (clinical-safety e2e):
// strings the database cannot store, impossible instants, JSON too deep or too wide, a client assertion
// whose payload is not an object. Each is answered by its transport's 4xx, never a 500.
const NUL = 'a\u0000b';
const LONE_SURROGATE = 'a\ud800b';
const JWT_BEARER = 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer';

/** `[[[…]]]` nested `depth` levels, as raw JSON text. */
const deepJson = (depth: number, inner = '0') => `${'['.repeat(depth)}${inner}${']'.repeat(depth)}`;

/** The parts of a fixture hook call the cases below edit. */
type HookBody = {
  context: { patientId: string; encounterId?: string; draftOrders: { entry: { resource: Record<string, unknown> }[] } };
  prefetch: { patient: { id: string } };
  extension?: Record<string, unknown>;
};

type IssuedCard = { uuid: string; suggestions?: { uuid: string }[]; extension?: Record<string, string> };

describe('item 8: malformed CDS input → a 4xx OperationOutcome, never a 500', () => {
  let c: CdsTestClient;
  let card: IssuedCard;
  beforeAll(async () => {
    c = await startCdsTest(fixtureServices);
    card = (await c.post(`/cds-services/${orderSelectService.id}`, requestFor('order-select'))).body.cards[0];
  });
  afterAll(() => c.t.close());

  const feedbackPath = `/cds-services/${orderSelectService.id}/feedback`;
  const signedPath = () => new URL(card.extension!['dev.hookwarden.feedback-url']!).pathname;
  const item = (extra: Record<string, unknown> = {}) => ({ card: card.uuid, outcome: 'overridden', outcomeTimestamp: '2026-11-23T09:30:00Z', ...extra });
  /** A raw JSON text body as the EHR would send it (supertest would re-serialise an object). */
  const rawPost = async (path: string, text: string, auth = true) => {
    const r = request(c.t.server).post(path).set('Content-Type', 'application/json');
    if (auth) r.set('Authorization', `Bearer ${await c.ehr.sign(`https://hookwarden.test${path}`)}`);
    return r.send(text);
  };

  it.each([
    ['a NUL in context.patientId', (b: HookBody) => (b.context.patientId = NUL)],
    ['a lone surrogate in context.patientId', (b: HookBody) => (b.context.patientId = LONE_SURROGATE)],
    ['a NUL in context.encounterId', (b: HookBody) => (b.context.encounterId = NUL)],
    ['a lone surrogate in context.encounterId', (b: HookBody) => (b.context.encounterId = LONE_SURROGATE)],
    ['a NUL in a draft id', (b: HookBody) => (b.context.draftOrders.entry[0].resource.id = NUL)],
    ['a lone surrogate in a draft display', (b: HookBody) => (b.context.draftOrders.entry[0].resource.medicationCodeableConcept = { text: LONE_SURROGATE })],
    ['a NUL in a prefetch resource id', (b: HookBody) => (b.prefetch.patient.id = NUL)],
    ['a NUL in an object key', (b: HookBody) => (b.extension = { [NUL]: 1 })],
  ])('item 8: %s in a hook call → 400', async (_name, edit) => {
    const body = requestFor('order-sign');
    edit(body as unknown as HookBody);
    expectOperationOutcome(await c.post('/cds-services/fixture-order-sign', body), 400, ['invalid']);
  });

  it.each([
    ['a NUL in userComment', { overrideReason: { userComment: NUL } }],
    ['a lone surrogate in a reason display', { overrideReason: { reason: { system: 's', code: 'c', display: LONE_SURROGATE } } }],
    ['a NUL in the card id', { card: NUL }],
  ])('item 8: %s in JWT feedback → 400', async (_name, extra) => {
    expectOperationOutcome(await c.post(feedbackPath, { feedback: [item(extra)] }), 400, ['invalid']);
  });

  it('item 8: a NUL in signed-URL feedback → 400', async () => {
    const res = await request(c.t.server).post(signedPath()).send({ feedback: [item({ overrideReason: { userComment: NUL } })] });
    expectOperationOutcome(res, 400, ['invalid']);
  });

  it.each(['0000-01-01T00:00:00Z', '2026-02-30T00:00:00Z', '2025-02-29T12:00:00Z'])('item 8: outcomeTimestamp %s → 400', async (outcomeTimestamp) => {
    const res = await c.post(feedbackPath, { feedback: [item({ outcomeTimestamp })] });
    expectOperationOutcome(res, 400, ['invalid']);
    expect(res.body.issue[0].expression).toEqual(['feedback[0].outcomeTimestamp']);
  });

  it('item 8: a leap day and a leap second are still instants', async () => {
    for (const outcomeTimestamp of ['2028-02-29T12:00:00Z', '2026-12-31T23:59:60Z']) {
      expect((await c.post(feedbackPath, { feedback: [item({ outcomeTimestamp })] })).status).toBe(200);
    }
  });

  it('item 8: JSON nested 5,000 levels on a hook call → 413', async () => {
    const body = JSON.stringify(requestFor('order-sign')).replace('"prefetch":', `"deep":${deepJson(5000)},"prefetch":`);
    expectOperationOutcome(await rawPost('/cds-services/fixture-order-sign', body), 413, ['too-long']);
  });

  it('item 8: JSON nested 5,000 levels on JWT feedback → 413', async () => {
    expectOperationOutcome(await rawPost(feedbackPath, `{"feedback":${deepJson(5000)}}`), 413, ['too-long']);
  });

  it('item 8: JSON nested 5,000 levels on the unauthenticated signed-feedback URL → 413', async () => {
    expectOperationOutcome(await rawPost(signedPath(), `{"feedback":[${JSON.stringify(item()).replace(/}$/, `,"extension":{"x":${deepJson(5000)}}}`)}]}`, false), 413, ['too-long']);
  });

  it('item 8: a 300,000-element array on a hook call → 413', async () => {
    const body = JSON.stringify(requestFor('order-sign')).replace('"prefetch":', `"wide":[${Array.from({ length: 300_000 }, () => 0).join(',')}],"prefetch":`);
    expectOperationOutcome(await rawPost('/cds-services/fixture-order-sign', body), 413, ['too-long']);
  });

  it('item 8: a 300,000-element feedback array on the signed URL → 413', async () => {
    const one = JSON.stringify(item());
    const res = await rawPost(signedPath(), `{"feedback":[${Array.from({ length: 300_000 }, () => 1).join(',')},${one}]}`, false);
    expectOperationOutcome(res, 413, ['too-long']);
  });

  it('item 8: malformed JSON on the signed-feedback URL is an OperationOutcome, not an HTML error page', async () => {
    const res = await rawPost(signedPath(), '{"feedback": [', false);
    expectOperationOutcome(res, 400, ['structure']);
  });
});

describe('item 8: malformed OAuth and /fhir input → the transport’s 4xx, never a 500', () => {
  let t: SmartTestApp;
  let token: string;
  beforeAll(async () => {
    t = await createSmartApp();
    const { code, verifier } = await ehrLaunchCode(t);
    token = (await exchange(t, code, verifier).expect(200)).body.access_token;
  });
  afterAll(() => t.close());

  it.each(['MedicationRequest/%00', 'MedicationRequest/a%00b', 'Patient?name=%00', 'Patient?_id=a%00'])(
    'item 8: GET /fhir/%s → 400 OperationOutcome',
    async (path) => {
      const res = await request(t.server).get(`/fhir/${path}`).set('Authorization', `Bearer ${token}`);
      expect({ status: res.status, body: JSON.parse(res.text) }).toMatchObject({ status: 400, body: { resourceType: 'OperationOutcome', issue: [{ code: 'invalid' }] } });
    },
  );

  it('item 8: a path that is not UTF-8 (%ED%A0%80, a lone surrogate) → 400 from the router, not a 500', async () => {
    expect((await request(t.server).get('/fhir/MedicationRequest/%ED%A0%80').set('Authorization', `Bearer ${token}`)).status).toBe(400);
  });

  it.each([
    ['state', { state: NUL }],
    ['scope', { scope: `launch/patient openid ${NUL}` }],
    ['nonce', { nonce: NUL }],
  ])('item 8: a NUL in %s at /auth/authorize without login → 400 page, no redirect', async (_name, overrides) => {
    const { challenge } = pkce();
    const res = await request(t.server).get('/auth/authorize').query(authParams(undefined, challenge, overrides));
    expect(res.status).toBe(400);
    expect(res.headers.location).toBeUndefined();
    expect(res.headers['content-type']).toMatch(/text\/html/);
  });

  it('item 8: a NUL in the POSTed authorization form → 400 page', async () => {
    const { challenge } = pkce();
    const res = await request(t.server).post('/auth/authorize').type('form').send(authParams(undefined, challenge, { state: NUL }));
    expect(res.status).toBe(400);
    expect(res.headers.location).toBeUndefined();
  });

  it('item 8: a NUL in a token request form → 400 invalid_request', async () => {
    const res = await request(t.server).post('/auth/token').type('form').send({ grant_type: 'authorization_code', code: NUL, code_verifier: 'x', redirect_uri: APP_REDIRECT, client_id: 'public-app' });
    expect(res.status).toBe(400);
    expect(res.body.error).toBe('invalid_request');
  });

  it.each([
    ['null', 'null'],
    ['a number', '42'],
    ['an array', '[]'],
    ['a string', '"x"'],
  ])('item 8: a client_assertion whose payload is %s → 401 invalid_client', async (_name, payload) => {
    const signed = await clientAssertion('backend', t.backendKey);
    const [header, , signature] = signed.split('.');
    const assertion = `${header}.${Buffer.from(payload).toString('base64url')}.${signature}`;
    const res = await request(t.server)
      .post('/auth/token')
      .type('form')
      .send({ grant_type: 'client_credentials', scope: 'system/Patient.rs', client_assertion_type: JWT_BEARER, client_assertion: assertion });
    expect(res.status).toBe(401);
    expect(res.body.error).toBe('invalid_client');
  });

  it('item 8: a client_assertion jti with a NUL → 401 invalid_client', async () => {
    const assertion = await clientAssertion('backend', t.backendKey, { jti: `${randomUUID()}\u0000` });
    const res = await request(t.server)
      .post('/auth/token')
      .type('form')
      .send({ grant_type: 'client_credentials', scope: 'system/Patient.rs', client_assertion_type: JWT_BEARER, client_assertion: assertion });
    expect(res.status).toBe(401);
  });

  it('item 8: JSON nested 5,000 levels on a /fhir write → 413 OperationOutcome', async () => {
    const res = await request(t.server)
      .post('/fhir/MedicationRequest')
      .set('Authorization', `Bearer ${token}`)
      .set('Content-Type', 'application/fhir+json')
      .send(`{"resourceType":"MedicationRequest","note":${deepJson(5000)}}`);
    expect(res.status).toBe(413);
    expect(JSON.parse(res.text).resourceType).toBe('OperationOutcome');
  });
});

describe('item 8: an EHR JWT with strings the jti store cannot hold → 401', () => {
  let c: CdsTestClient;
  beforeAll(async () => {
    c = await startCdsTest(fixtureServices);
  });
  afterAll(() => c.t.close());

  it.each([
    ['jti', { jti: `${randomUUID()}\u0000` }],
    ['jti (lone surrogate)', { jti: `${randomUUID()}\ud800` }],
    ['tenant', { tenant: NUL }],
  ])('item 8: a NUL in the JWT %s → 401', async (_name, claims) => {
    const path = '/cds-services/fixture-order-sign';
    const jwt = await c.ehr.sign(`https://hookwarden.test${path}`, claims);
    const res = await request(c.t.server).post(path).set('Authorization', `Bearer ${jwt}`).send(requestFor('order-sign'));
    expectOperationOutcome(res, 401, ['login']);
  });
});

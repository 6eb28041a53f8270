import request from 'supertest';
import { type FhirTestServer, searchset, startFhirTestServer } from './helpers/fhir-test-server.js';
import { createSmartApp, ehrLaunchCode, exchange, type SmartTestApp } from './helpers/smart-harness.js';

// Patient A is the launch patient (smart-harness binding); B must never reach A's token.
const A = 'demo-patient-1';
const B = 'demo-patient-2';
const UPSTREAM_TOKEN = 'upstream-secret-token';
const MR_REDIRECT = 'https://hookwarden.test/apps/medication-review/index.html';
const LOINC_HR = 'http://loinc.org|8867-4';

const patient = (id: string) => ({ resourceType: 'Patient', id, name: [{ family: id }] });
const obs = (id: string, p: string) => ({ resourceType: 'Observation', id, status: 'final', code: { coding: [{ system: 'http://loinc.org', code: '8867-4' }] }, subject: { reference: `Patient/${p}` } });
const medrx = (p: string, id?: string) => ({
  resourceType: 'MedicationRequest',
  ...(id ? { id } : {}),
  status: 'draft',
  intent: 'proposal',
  medicationCodeableConcept: { text: 'paracetamol 500 mg' },
  subject: { reference: `Patient/${p}` },
});
// A searchset whose last entry is an outcome, which is never a search result.
const withOutcome = (bundle: Record<string, unknown>) => ({
  ...bundle,
  entry: [...(bundle.entry as object[]), { resource: { resourceType: 'OperationOutcome', issue: [] }, search: { mode: 'outcome' } }],
});
const ids = (text: string) => (JSON.parse(text) as { entry: { resource: { id: string } }[] }).entry.map((e) => e.resource.id);
const issueCode = (text: string) => (JSON.parse(text) as { issue: { code: string }[] }).issue[0].code;

describe('/fhir proxied to an upstream FHIR server (upstreamFhir)', () => {
  let upstream: FhirTestServer;
  let t: SmartTestApp;
  let tokenA: string;
  let mrToken: string;

  beforeAll(async () => {
    upstream = await startFhirTestServer({
      [`Patient/${A}`]: { body: patient(A) },
      [`Patient/${B}`]: { body: patient(B) },
      // A sloppy upstream that ignores every parameter: the scopes still decide.
      Patient: { body: searchset([patient(A), patient(B)]) },
      Observation: { body: withOutcome(searchset([obs('obs-a', A), obs('obs-b', B)])) },
      [`Observation?patient=${B}`]: { body: searchset([obs('obs-b', B)]) },
      [`Observation?patient=${A}&code=http%3A%2F%2Floinc.org%7C8867-4&_count=200`]: { body: searchset([obs('obs-a', A), obs('obs-b', B)]) },
      'Observation/obs-b': { body: obs('obs-b', B) },
      'Observation/swapped': { body: obs('obs-a', A) },
      'Observation/boom': { status: 500, body: { resourceType: 'OperationOutcome', issue: [{ severity: 'fatal', code: 'exception', diagnostics: 'UPSTREAM-STACK-TRACE' }] } },
      'Observation/garbage': { body: '<html>not FHIR</html>' },
      Condition: { status: 503, body: { detail: 'UPSTREAM-DOWN-DETAIL' } },
      MedicationRequest: { status: 201, body: medrx(A, 'rx-new') },
      'MedicationRequest/rx-a': { body: medrx(A, 'rx-a') },
      'MedicationRequest/rx-b': { body: medrx(B, 'rx-b') },
    });
    t = await createSmartApp({ upstreamFhir: { baseUrl: upstream.base, bearerToken: UPSTREAM_TOKEN } });
    const launch = await ehrLaunchCode(t);
    tokenA = ((await exchange(t, launch.code, launch.verifier).expect(200)).body as { access_token: string }).access_token;
    const mr = await ehrLaunchCode(
      t,
      { client_id: 'medication-review', redirect_uri: MR_REDIRECT, scope: 'launch openid fhirUser patient/Patient.rs patient/MedicationRequest.cruds' },
      { clientId: 'medication-review', scopeCeiling: 'user/*.cruds' },
    );
    mrToken = ((await exchange(t, mr.code, mr.verifier, { client_id: 'medication-review', redirect_uri: MR_REDIRECT }).expect(200)).body as { access_token: string }).access_token;
  });
  afterAll(async () => {
    await t?.close();
    await upstream?.close();
  });
  beforeEach(() => {
    upstream.requests.length = 0;
  });

  const get = (path: string, token = tokenA) => request(t.server).get(`/fhir/${path}`).set('Authorization', `Bearer ${token}`);

  it('read goes to ${baseUrl}/Type/id with the configured bearer token, never the app token', async () => {
    const res = await get(`Patient/${A}`).expect(200);
    expect(JSON.parse(res.text).id).toBe(A);
    expect(res.headers['content-type']).toContain('application/fhir+json');
    expect(upstream.requests).toEqual([{ method: 'GET', url: `Patient/${A}`, authorization: `Bearer ${UPSTREAM_TOKEN}` }]);
  });

  it('a token for patient A never reads patient B through the proxy: 404 exactly like the embedded mode', async () => {
    for (const path of [`Patient/${B}`, 'MedicationRequest/rx-b', 'Observation/obs-b']) {
      const res = await get(path).expect(404);
      expect(res.headers['www-authenticate']).toBeUndefined();
      expect(issueCode(res.text)).toBe('not-found');
      expect(Object.keys(JSON.parse(res.text))).toEqual(['resourceType', 'issue']);
    }
    expect(upstream.requests.map((r) => r.url)).toEqual([`Patient/${B}`, 'MedicationRequest/rx-b', 'Observation/obs-b']);
  });

  it('a token for patient A never finds patient B through the proxy, whatever the upstream returns', async () => {
    expect(ids((await get('Patient').expect(200)).text)).toEqual([A]);
    const all = JSON.parse((await get('Observation').expect(200)).text);
    expect(all.total).toBe(1);
    expect(all.entry.map((e: { resource: { id: string } }) => e.resource.id)).toEqual(['obs-a']);
    expect(JSON.parse((await get(`Observation?patient=${B}`).expect(200)).text).total).toBe(0);
    expect(upstream.requests.map((r) => r.url)).toEqual(['Patient', 'Observation', `Observation?patient=${B}`]);
  });

  it('search forwards the supported parameters (encoded, _count capped) and keeps only matches', async () => {
    const res = await get(`Observation?patient=${A}&code=${encodeURIComponent(LOINC_HR)}&_count=100000`).expect(200);
    expect(ids(res.text)).toEqual(['obs-a']);
    expect(upstream.requests).toEqual([
      { method: 'GET', url: `Observation?patient=${A}&code=http%3A%2F%2Floinc.org%7C8867-4&_count=200`, authorization: `Bearer ${UPSTREAM_TOKEN}` },
    ]);
    // Unsupported parameters are refused here, never forwarded.
    await get('Observation?name:contains=x').expect(400);
    expect(upstream.requests).toHaveLength(1);
  });

  it('upstream 404 → 404 OperationOutcome', async () => {
    const res = await get('Observation/missing').expect(404);
    expect(issueCode(res.text)).toBe('not-found');
  });

  it('upstream 5xx, a non-resource answer or another resource than asked for → 502 without the upstream body', async () => {
    for (const path of ['Observation/boom', 'Observation/garbage', 'Observation/swapped', 'Condition']) {
      const res = await get(path).expect(502);
      expect(issueCode(res.text)).toBe('exception');
      expect(res.text).not.toMatch(/UPSTREAM-|html|obs-a/);
    }
  });

  it('creates and updates of writableTypes are forwarded after the embedded-mode checks', async () => {
    const post = (body: object, token = mrToken) => request(t.server).post('/fhir/MedicationRequest').set('Authorization', `Bearer ${token}`).send(body);
    const created = await post(medrx(A)).expect(201);
    expect(JSON.parse(created.text).id).toBe('rx-new');
    const updated = await request(t.server).put('/fhir/MedicationRequest/rx-a').set('Authorization', `Bearer ${mrToken}`).send(medrx(A, 'rx-a')).expect(200);
    expect(JSON.parse(updated.text).id).toBe('rx-a');
    expect(upstream.requests).toEqual([
      { method: 'POST', url: 'MedicationRequest', authorization: `Bearer ${UPSTREAM_TOKEN}` },
      { method: 'GET', url: 'MedicationRequest/rx-a', authorization: `Bearer ${UPSTREAM_TOKEN}` },
      { method: 'PUT', url: 'MedicationRequest/rx-a', authorization: `Bearer ${UPSTREAM_TOKEN}` },
    ]);
    upstream.requests.length = 0;
    // Another patient, a client without writableTypes, moving B's order: refused before anything is written.
    await post(medrx(B)).expect(403);
    await post(medrx(A), tokenA).expect(403);
    await request(t.server).put('/fhir/MedicationRequest/rx-b').set('Authorization', `Bearer ${mrToken}`).send(medrx(A, 'rx-b')).expect(403);
    expect(upstream.requests.map((r) => `${r.method} ${r.url}`)).toEqual(['GET MedicationRequest/rx-b']);
  });
});

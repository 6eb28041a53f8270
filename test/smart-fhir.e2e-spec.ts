import { decodeJwt } from 'jose';
import request from 'supertest';
import { KeysService } from '../src/smart/keys.service.js';
import {
  clientAssertion,
  createSmartApp,
  ehrLaunchCode,
  exchange,
  FHIR_BASE,
  type SmartTestApp,
} from './helpers/smart-harness.js';

const JWT_BEARER = 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer';
function order(patient: string) {
  return {
    resourceType: 'MedicationRequest',
    status: 'draft',
    intent: 'proposal',
    medicationCodeableConcept: { text: 'paracetamol 500 mg' },
    subject: { reference: `Patient/${patient}` },
  };
}

const MR_REDIRECT = 'https://hookwarden.test/apps/medication-review/index.html';

describe('/fhir endpoint for SMART apps', () => {
  let t: SmartTestApp;
  let tokenA: Record<string, string>;
  beforeAll(async () => {
    t = await createSmartApp();
    const { code, verifier } = await ehrLaunchCode(t);
    tokenA = (await exchange(t, code, verifier).expect(200)).body as Record<string, string>;
  });
  afterAll(() => t.close());

  const get = (path: string, token?: string) => {
    const r = request(t.server).get(`/fhir/${path}`);
    return token ? r.set('Authorization', `Bearer ${token}`) : r;
  };

  async function medicationReviewToken(): Promise<string> {
    const { code, verifier } = await ehrLaunchCode(
      t,
      { client_id: 'medication-review', redirect_uri: MR_REDIRECT, scope: 'launch openid fhirUser patient/Patient.rs patient/MedicationRequest.cruds' },
      { clientId: 'medication-review', scopeCeiling: 'user/*.cruds' },
    );
    const res = await exchange(t, code, verifier, { client_id: 'medication-review', redirect_uri: MR_REDIRECT }).expect(200);
    return res.body.access_token as string;
  }

  it('metadata: CapabilityStatement with the SMART oauth-uris extension, any origin, no token needed', async () => {
    const res = await get('metadata').set('Origin', 'https://inferno.test').expect(200);
    expect(res.headers['access-control-allow-origin']).toBe('*');
    const cs = JSON.parse(res.text);
    expect(cs.resourceType).toBe('CapabilityStatement');
    const ext = cs.rest[0].security.extension[0];
    expect(ext.url).toBe('http://fhir-registry.smarthealthit.org/StructureDefinition/oauth-uris');
    expect(ext.extension).toEqual(expect.arrayContaining([{ url: 'authorize', valueUri: 'https://hookwarden.test/auth/authorize' }, { url: 'token', valueUri: 'https://hookwarden.test/auth/token' }]));
  });

  it('CORS: preflight and responses allow registered client origins only', async () => {
    const pre = await request(t.server).options('/fhir/Patient/demo-patient-1').set('Origin', 'https://app.test').set('Access-Control-Request-Method', 'GET').expect(204);
    expect(pre.headers['access-control-allow-origin']).toBe('https://app.test');
    expect(pre.headers['access-control-allow-headers']).toContain('Authorization');
    const evil = await request(t.server).options('/fhir/Patient').set('Origin', 'https://evil.test').expect(204);
    expect(evil.headers['access-control-allow-origin']).toBeUndefined();
    const read = await get(`Patient/${tokenA.patient}`, tokenA.access_token).set('Origin', 'https://app.test').expect(200);
    expect(read.headers['access-control-allow-origin']).toBe('https://app.test');
  });

  it('g10 unauthorized access: no token → 401 OperationOutcome with WWW-Authenticate', async () => {
    const res = await get('Patient/demo-patient-1').expect(401);
    expect(res.headers['www-authenticate']).toMatch(/^Bearer/);
    expect(JSON.parse(res.text).resourceType).toBe('OperationOutcome');
    await get('Patient/demo-patient-1', 'not-a-jwt').expect(401);
  });

  it('g10 patient, encounter and fhirUser context are readable with the launch token', async () => {
    expect(JSON.parse((await get(`Patient/${tokenA.patient}`, tokenA.access_token).expect(200)).text).id).toBe('demo-patient-1');
    await get(`Encounter/${tokenA.encounter}`, tokenA.access_token).expect(200);
    await get('Practitioner/demo-practitioner', tokenA.access_token).expect(200);
  });

  it('a token for patient A never reads or finds patient B data', async () => {
    await get('Patient/demo-patient-2', tokenA.access_token).expect(404);
    await get('MedicationRequest/demo-medrx-2', tokenA.access_token).expect(404);
    const bundle = JSON.parse((await get('MedicationRequest', tokenA.access_token).expect(200)).text);
    expect(bundle.entry.map((e: { resource: { id: string } }) => e.resource.id)).toEqual(['demo-medrx-1']);
    const byPatient = JSON.parse((await get('Observation?patient=demo-patient-2', tokenA.access_token).expect(200)).text);
    expect(byPatient.total).toBe(0);
  });

  it('search: patient, category, code, status, _id and _count', async () => {
    const q = async (s: string) => JSON.parse((await get(`Observation?${s}`, tokenA.access_token).expect(200)).text).entry.map((e: { resource: { id: string } }) => e.resource.id);
    expect(await q('patient=Patient/demo-patient-1')).toEqual(['demo-obs-1', 'demo-obs-2']);
    expect(await q('category=laboratory')).toEqual(['demo-obs-1']);
    expect(await q('code=http://loinc.org|8867-4')).toEqual(['demo-obs-2']);
    expect(await q('status=final&_count=1')).toEqual(['demo-obs-1']);
    expect(await q('_id=demo-obs-2')).toEqual(['demo-obs-2']);
    await get('Observation?name:contains=x', tokenA.access_token).expect(400);
  });

  it('fine-grained scopes: a category-limited grant only finds that category', async () => {
    const { code, verifier } = await ehrLaunchCode(t, {}, {
      scopeCeiling: 'user/Observation.rs?category=http://terminology.hl7.org/CodeSystem/observation-category|laboratory user/Patient.rs',
    });
    const tok = (await exchange(t, code, verifier).expect(200)).body;
    const bundle = JSON.parse((await get('Observation', tok.access_token).expect(200)).text);
    expect(bundle.entry.map((e: { resource: { id: string } }) => e.resource.id)).toEqual(['demo-obs-1']);
    await get('Observation/demo-obs-2', tok.access_token).expect(404);
    await get('MedicationRequest', tok.access_token).expect(403);
  });

  it('T15 a token signed by us for another audience → 401', async () => {
    const keys = t.app.get(KeysService);
    const now = Math.floor(Date.now() / 1000);
    const other = await keys.sign({ iss: FHIR_BASE, aud: 'https://other.test/fhir', client_id: 'public-app', scope: 'patient/*.rs', patient: 'demo-patient-1', jti: 'x', exp: now + 60 }, 'at+jwt');
    await get('Patient/demo-patient-1', other).expect(401);
  });

  it('RFC 9068 §4: our own token with the very claims of a valid one but typ JWT → 401', async () => {
    const claims = decodeJwt(tokenA.access_token);
    const untyped = await t.app.get(KeysService).sign(claims, 'JWT');
    await get('Patient/demo-patient-1', tokenA.access_token).expect(200);
    const res = await get('Patient/demo-patient-1', untyped).expect(401);
    expect(res.headers['www-authenticate']).toBe('Bearer error="invalid_token"');
    expect(JSON.parse(res.text)).toEqual({
      resourceType: 'OperationOutcome',
      issue: [{ severity: 'error', code: 'login', diagnostics: 'a valid, unexpired access token for this server is required' }],
    });
  });

  it('an id_token is not an access token → 401', async () => {
    await get('Patient/demo-patient-1', tokenA.id_token).expect(401);
  });

  it('an expired access token → 401 (frozen clock)', async () => {
    vi.useFakeTimers({ toFake: ['Date'] });
    try {
      vi.setSystemTime(Date.now() + 3601_000);
      await get('Patient/demo-patient-1', tokenA.access_token).expect(401);
    } finally {
      vi.useRealTimers();
    }
  });

  it('g10 token revocation: a revoked access token → 401', async () => {
    const { code, verifier } = await ehrLaunchCode(t);
    const tok = (await exchange(t, code, verifier).expect(200)).body;
    await get('Patient/demo-patient-1', tok.access_token).expect(200);
    await request(t.server).post('/auth/revoke').type('form').send({ token: tok.refresh_token, client_id: 'public-app' }).expect(200);
    await get('Patient/demo-patient-1', tok.access_token).expect(401);
  });

  it('create/update only for writableTypes, only within the patient compartment and scopes', async () => {
    const mr = await medicationReviewToken();
    const created = await request(t.server).post('/fhir/MedicationRequest').set('Authorization', `Bearer ${mr}`).send(order('demo-patient-1')).expect(201);
    const body = JSON.parse(created.text);
    expect(body.meta.versionId).toBe('1');
    await request(t.server).post('/fhir/MedicationRequest').set('Authorization', `Bearer ${mr}`).send(order('demo-patient-2')).expect(403);
    await request(t.server).post('/fhir/MedicationRequest').set('Authorization', `Bearer ${tokenA.access_token}`).send(order('demo-patient-1')).expect(403);
    await request(t.server).post('/fhir/Patient').set('Authorization', `Bearer ${mr}`).send({ resourceType: 'Patient' }).expect(403);
    const updated = await request(t.server)
      .put(`/fhir/MedicationRequest/${body.id}`)
      .set('Authorization', `Bearer ${mr}`)
      .send({ ...order('demo-patient-1'), id: body.id, status: 'active' })
      .expect(200);
    expect(JSON.parse(updated.text).meta.versionId).toBe('2');
    await request(t.server)
      .put('/fhir/MedicationRequest/demo-medrx-2')
      .set('Authorization', `Bearer ${mr}`)
      .send({ ...order('demo-patient-1'), id: 'demo-medrx-2' })
      .expect(403);
    expect(JSON.parse((await get(`MedicationRequest/${body.id}`, mr).expect(200)).text).status).toBe('active');
  });

  it('backend services: a system token reads across patients within its system scopes', async () => {
    const res = await request(t.server)
      .post('/auth/token')
      .type('form')
      .send({ grant_type: 'client_credentials', scope: 'system/Patient.rs', client_assertion_type: JWT_BEARER, client_assertion: await clientAssertion('backend', t.backendKey) })
      .expect(200);
    const bundle = JSON.parse((await get('Patient', res.body.access_token).expect(200)).text);
    expect(bundle.total).toBe(2);
    await get('Observation', res.body.access_token).expect(403);
  });
});

import request from 'supertest';
import { createSmartApp, ehrLaunchCode, exchange, type SmartTestApp } from './helpers/smart-harness.js';

// Issue 10 item 12: /fhir must not tell whether a record it will not show exists (RFC 9110 §15.5.4).
describe('item 12: /fhir answers another patient’s resource and an unknown one alike', () => {
  let t: SmartTestApp;
  let token: string;
  beforeAll(async () => {
    t = await createSmartApp();
    const { code, verifier } = await ehrLaunchCode(t);
    token = (await exchange(t, code, verifier).expect(200)).body.access_token;
  });
  afterAll(() => t.close());

  /** Status, headers that could tell them apart, and the body with the id it names replaced. */
  const answer = async (type: string, id: string) => {
    const res = await request(t.server).get(`/fhir/${type}/${id}`).set('Authorization', `Bearer ${token}`);
    return { status: res.status, challenge: res.headers['www-authenticate'], type: res.headers['content-type'], body: res.text.replaceAll(id, '{id}') };
  };

  it.each([
    ['Patient', 'demo-patient-2'],
    ['MedicationRequest', 'demo-medrx-2'],
  ])('item 12: %s of another patient and an unknown %s → the same 404 OperationOutcome', async (type, foreign) => {
    const other = await answer(type, foreign);
    const unknown = await answer(type, 'no-such-id');
    expect(other).toEqual(unknown);
    expect(other.status).toBe(404);
    expect(JSON.parse(other.body)).toMatchObject({ resourceType: 'OperationOutcome', issue: [{ code: 'not-found' }] });
  });

  it('item 12: the patient’s own resource is still read', async () => {
    expect((await answer('Patient', 'demo-patient-1')).status).toBe(200);
  });
});

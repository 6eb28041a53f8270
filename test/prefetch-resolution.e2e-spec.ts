import { randomUUID } from 'node:crypto';
import { Logger } from '@nestjs/common';
import type { ServiceDefinition } from '../src/cds/cds-types.js';
import { expectOperationOutcome } from './helpers/cds-assertions.js';
import { recordingService, startPrefetchTestApp, type PrefetchTestApp, type SeenCall } from './helpers/fhir-prefetch-app.js';
import { searchset, startFhirTestServer, type FhirTestServer } from './helpers/fhir-test-server.js';

// cds-hooks.md §5 P1–P6 and smart-scopes.md §6.4 C1/C4/C5/C7, through POST /cds-services/:id of the real app,
// with a real FHIR server on 127.0.0.1 standing in for the EHR's.
const TOKEN = 'prefetch-e2e-access-token';
const MEDS_URL = 'MedicationRequest?patient=p1&status=active';
const LABS_URL = 'Observation?patient=p1&code=http://loinc.org|4548-4&_count=1';

const patient = (id: string) => ({ resourceType: 'Patient', id });
const med = (id: string, patientId: string) => ({ resourceType: 'MedicationRequest', id, status: 'active', intent: 'order', subject: { reference: `Patient/${patientId}` } });
const lab = (id: string, patientId: string) => ({ resourceType: 'Observation', id, status: 'final', code: { coding: [{ system: 'http://loinc.org', code: '4548-4' }] }, subject: { reference: `Patient/${patientId}` } });
const body = (extra: Record<string, unknown> = {}): Record<string, unknown> => ({
  hook: 'patient-view',
  hookInstance: randomUUID(),
  context: { userId: 'Practitioner/u1', patientId: 'p1' },
  ...extra,
});
const ids = (bundle: unknown) => ((bundle as { entry?: { resource: { id: string } }[] }).entry ?? []).map((e) => e.resource.id);
const operationOutcome = { resourceType: 'OperationOutcome', issue: [{ severity: 'error', code: 'timeout' }] };

describe('prefetch resolution (CDS Hooks §Prefetch, SMART scopes)', () => {
  let fhir: FhirTestServer;
  let stranger: FhirTestServer;
  let app: PrefetchTestApp;
  const seen: SeenCall[] = [];
  const service: ServiceDefinition = recordingService(seen, {
    id: 'prefetch-probe',
    prefetch: {
      patient: { template: 'Patient/{{context.patientId}}', essential: true },
      meds: { template: 'MedicationRequest?patient={{context.patientId}}&status=active', essential: true },
      labs: { template: 'Observation?patient={{context.patientId}}&code=http://loinc.org|4548-4&_count=1' },
    },
    scopes: ['patient/Patient.rs', 'patient/MedicationRequest.rs', 'patient/Observation.rs'],
  });

  const withAuth = (extra: Record<string, unknown> = {}, auth: Record<string, unknown> = {}) =>
    body({
      fhirServer: fhir.base,
      fhirAuthorization: {
        access_token: TOKEN,
        token_type: 'Bearer',
        expires_in: 300,
        scope: 'launch openid patient/Patient.read patient/MedicationRequest.read patient/Observation.read',
        subject: 'hookwarden',
        patient: 'p1',
        ...auth,
      },
      ...extra,
    });
  const ok = async (b: unknown) => {
    const res = await app.call(service.id, b);
    expect({ status: res.status, body: res.body }).toMatchObject({ status: 200 });
    expect(seen).toHaveLength(1);
    return seen[0].data;
  };
  const urls = () => fhir.requests.map((r) => decodeURIComponent(r.url)).sort();

  beforeAll(async () => {
    fhir = await startFhirTestServer();
    stranger = await startFhirTestServer({ 'Patient/p1': { body: patient('p1') } });
    app = await startPrefetchTestApp([service], [fhir.base]);
  });
  afterAll(async () => {
    await app.t.close();
    await fhir.close();
    await stranger.close();
  });
  beforeEach(() => {
    seen.length = 0;
    fhir.requests.length = 0;
    stranger.requests.length = 0;
    fhir.routes = new Map(
      Object.entries({
        'Patient/p1': { body: patient('p1') },
        [MEDS_URL]: { body: searchset([med('m1', 'p1'), med('m2', 'p2')]) },
        [LABS_URL]: { body: searchset([lab('o1', 'p1')]) },
      }),
    );
  });

  it('P1 a required key that is missing with no fhirAuthorization answers 412 with an OperationOutcome, without any fetch', async () => {
    const res = await app.call(service.id, body({ prefetch: { patient: patient('p1') } }));
    expectOperationOutcome(res, 412, ['processing']);
    expect(seen).toEqual([]);
    expect(fhir.requests).toEqual([]);
  });

  it('P1 a fhirServer that is not allow-listed is never called: 412', async () => {
    const res = await app.call(service.id, withAuth({ fhirServer: stranger.base, prefetch: { patient: patient('p1') } }));
    expectOperationOutcome(res, 412, ['processing']);
    expect(stranger.requests).toEqual([]);
    expect(fhir.requests).toEqual([]);
  });

  it('P2 missing keys are fetched from the allow-listed server with the Bearer token, then scope-filtered', async () => {
    const data = await ok(withAuth());
    expect(urls()).toEqual([LABS_URL, MEDS_URL, 'Patient/p1'].sort());
    expect(fhir.requests.map((r) => [r.method, r.authorization])).toEqual(Array.from({ length: 3 }, () => ['GET', `Bearer ${TOKEN}`]));
    expect(data.prefetch.patient).toEqual(patient('p1'));
    expect(ids(data.prefetch.meds)).toEqual(['m1']);
    expect(ids(data.prefetch.labs)).toEqual(['o1']);
    expect(data.unavailable).toEqual([{ key: 'meds', reason: 'scope-dropped', entries: 1 }]);
    expect(data.effectiveScopes).toEqual(['patient/MedicationRequest.rs', 'patient/Observation.rs', 'patient/Patient.rs']);
  });

  it('P2 only what the effective scopes permit is fetched; the rest is refused locally (412 when required)', async () => {
    const res = await app.call(service.id, withAuth({}, { scope: 'patient/Patient.read patient/Observation.read' }));
    expectOperationOutcome(res, 412, ['processing']);
    expect(urls()).toEqual([LABS_URL, 'Patient/p1'].sort());
  });

  it('P2 a read the server does not find is "no data" (null), like a null prefetch value', async () => {
    fhir.routes.delete('Patient/p1');
    const data = await ok(withAuth());
    expect(data.prefetch.patient).toBeNull();
  });

  it('P2 a FHIR server slower than the 2 s budget makes the key unobtainable (412 when required)', async () => {
    fhir.routes.set(MEDS_URL, { body: searchset([med('m1', 'p1')]), delayMs: 4000 });
    const started = Date.now();
    const res = await app.call(service.id, withAuth({ prefetch: { patient: patient('p1') } }));
    expectOperationOutcome(res, 412, ['processing']);
    expect(Date.now() - started).toBeLessThan(3500);
    expect(urls()).toEqual([LABS_URL, MEDS_URL].sort());
  });

  it('P3 a null key is "no data" and is not refetched', async () => {
    const data = await ok(withAuth({ prefetch: { patient: null, meds: searchset([]) } }));
    expect(data.prefetch.patient).toBeNull();
    expect(urls()).toEqual([LABS_URL]);
  });

  it('P4 a key holding an OperationOutcome is refetched when possible', async () => {
    const data = await ok(withAuth({ prefetch: { patient: operationOutcome, meds: operationOutcome, labs: searchset([]) } }));
    expect(urls()).toEqual([MEDS_URL, 'Patient/p1'].sort());
    expect(data.unavailable).toEqual([{ key: 'meds', reason: 'scope-dropped', entries: 1 }]);
    expect(data.prefetch.patient).toEqual(patient('p1'));
    expect(ids(data.prefetch.meds)).toEqual(['m1']);
  });

  it('P4 an OperationOutcome for a required key with nothing to refetch from answers 412', async () => {
    const res = await app.call(service.id, body({ prefetch: { patient: patient('p1'), meds: operationOutcome } }));
    expectOperationOutcome(res, 412, ['processing']);
    expect(seen).toEqual([]);
  });

  it('P5 a paginated searchset is used as its first page; next links are not followed', async () => {
    const next = `${fhir.base}/MedicationRequest?patient=p1&status=active&_page=2`;
    fhir.routes.set(LABS_URL, { body: searchset([lab('o1', 'p1')], `${fhir.base}/Observation?_page=2`) });
    const data = await ok(withAuth({ prefetch: { patient: patient('p1'), meds: searchset([med('m1', 'p1')], next) } }));
    expect(urls()).toEqual([LABS_URL]);
    expect(ids(data.prefetch.meds)).toEqual(['m1']);
    expect(data.prefetch.meds).toMatchObject({ link: [{ relation: 'next', url: next }] });
    expect(ids(data.prefetch.labs)).toEqual(['o1']);
  });

  it('P6 unknown extra prefetch keys are ignored', async () => {
    const data = await ok(body({ prefetch: { patient: patient('p1'), meds: searchset([]), surprise: patient('p1'), other: 'text' } }));
    expect(Object.keys(data.prefetch).sort()).toEqual(['meds', 'patient']);
  });

  it('C1 without fhirAuthorization only the prefetch is used, checked against the service scopes', async () => {
    const data = await ok(body({ prefetch: { patient: patient('p1'), meds: searchset([med('m1', 'p1')]) } }));
    expect(fhir.requests).toEqual([]);
    expect(data.prefetch.labs).toBeUndefined();
    expect(data.unavailable).toEqual([{ key: 'labs', reason: 'not-supplied-and-not-fetchable' }]);
    expect(data.effectiveScopes).toEqual(['patient/MedicationRequest.rs', 'patient/Observation.rs', 'patient/Patient.rs']);
  });

  it('C5 a resource of another patient in a prefetch Bundle never reaches evaluate()', async () => {
    const mixed = searchset([med('m1', 'p1'), med('m-other', 'p2'), lab('o-other', 'p2')]);
    for (const b of [body({ prefetch: { patient: patient('p1'), meds: mixed } }), withAuth({ prefetch: { patient: patient('p1'), meds: mixed, labs: mixed } })]) {
      seen.length = 0;
      const data = await ok(b);
      expect(ids(data.prefetch.meds)).toEqual(['m1']);
      expect(JSON.stringify(seen)).not.toMatch(/m-other|o-other|Patient\/p2/);
    }
  });

  it('C5 another patient’s single resource is dropped, not passed on (412 when required)', async () => {
    const res = await app.call(service.id, body({ prefetch: { patient: patient('p2'), meds: searchset([]) } }));
    expectOperationOutcome(res, 412, ['processing']);
    expect(seen).toEqual([]);
  });

  it('C4 fhirAuthorization.patient ≠ context.patientId: no patient-scope access, nothing fetched', async () => {
    const res = await app.call(service.id, withAuth({}, { patient: 'p9' }));
    expectOperationOutcome(res, 412, ['processing']);
    expect(fhir.requests).toEqual([]);
  });

  it('C2 fhirAuthorization without fhirServer is rejected (400) before any prefetch work', async () => {
    const { fhirServer: _omitted, ...withoutServer } = withAuth();
    const res = await app.call(service.id, withoutServer);
    expectOperationOutcome(res, 400, ['invalid', 'required', 'structure']);
    expect(fhir.requests).toEqual([]);
    expect(seen).toEqual([]);
  });

  it('C3 without fhirAuthorization.patient the context patient binds the patient scopes', async () => {
    const auth = withAuth({ prefetch: { patient: patient('p1'), labs: searchset([]) } });
    delete (auth.fhirAuthorization as Record<string, unknown>).patient;
    const data = await ok(auth);
    expect(urls()).toEqual([MEDS_URL]);
    expect(ids(data.prefetch.meds)).toEqual(['m1']);
  });

  it('P2 a non-essential key the scopes do not permit, or whose fetch fails, reaches evaluate() as unavailable with its reason', async () => {
    fhir.routes.set(LABS_URL, { status: 500, body: operationOutcome });
    const failed = await ok(withAuth({ prefetch: { patient: patient('p1'), meds: searchset([]) } }));
    expect(failed.unavailable).toEqual([{ key: 'labs', reason: 'fetch-failed' }]);
    seen.length = 0;
    const refused = await ok(withAuth({ prefetch: { patient: patient('p1'), meds: searchset([]) } }, { scope: 'patient/Patient.read patient/MedicationRequest.read' }));
    expect(refused.unavailable).toEqual([{ key: 'labs', reason: 'scope-dropped' }]);
  });

  it('issue 10.8 a broken searchset (non-array entry, null entries) is unavailable or trimmed, never a 500', async () => {
    const data = await ok(body({ prefetch: { patient: patient('p1'), meds: { ...searchset([]), entry: [null, { resource: med('m1', 'p1') }] }, labs: { ...searchset([]), entry: {} } } }));
    expect(ids(data.prefetch.meds)).toEqual(['m1']);
    expect(data.prefetch.labs).toBeUndefined();
    expect(data.unavailable).toEqual([
      { key: 'meds', reason: 'invalid-data', entries: 1 },
      { key: 'labs', reason: 'invalid-data' },
    ]);
  });

  it('logs key names and counts only: never the token, URLs or patient ids', async () => {
    const spies = (['log', 'warn', 'error', 'debug', 'verbose'] as const).map((m) => vi.spyOn(Logger.prototype, m));
    try {
      fhir.routes.set(LABS_URL, { status: 500, body: operationOutcome });
      const mixed = searchset([med('m1', 'p1'), med('m2', 'p2')]);
      await app.call(service.id, withAuth({ prefetch: { patient: patient('p1'), meds: mixed } }, { scope: 'patient/Patient.read patient/MedicationRequest.read' }));
      await app.call(service.id, withAuth({ prefetch: { patient: patient('p1'), meds: mixed } }));
      const messages = spies.flatMap((spy) => spy.mock.calls.map((args) => args.map(String).join(' ')));
      expect(messages.join('\n')).toMatch(/dropped 1 prefetch entry/);
      expect(messages.join('\n')).toMatch(/"labs": FHIR server answered 500/);
      expect(messages.join('\n')).not.toMatch(new RegExp(`${TOKEN}|p1|p2|127\\.0\\.0\\.1|Bearer`));
    } finally {
      for (const spy of spies) spy.mockRestore();
    }
  });

  it('C7 a spent token (expires_in 0) is never used', async () => {
    const res = await app.call(service.id, withAuth({ prefetch: { patient: patient('p1') } }, { expires_in: 0 }));
    expect(fhir.requests).toEqual([]);
    expectOperationOutcome(res, 412, ['processing']);
  });
});

import { randomUUID } from 'node:crypto';
import { Logger } from '@nestjs/common';
import type { Response } from 'supertest';
import { medicationSafetyServices } from '../hooks/medication-safety/service.js';
import { markdownProblems } from '../hooks/medication-safety/testing/card-shape.js';
import { FIXTURES } from '../hooks/medication-safety/testing/fixtures.js';
import type { Card, CdsRequest } from '../src/cds/cds-types.js';
import { DATABASE, type Database } from '../src/store/database.js';
import { needsPrefetchService } from './fixtures/cds/services.js';
import { expectOperationOutcome } from './helpers/cds-assertions.js';
import { startPrefetchTestApp, type PrefetchTestApp } from './helpers/fhir-prefetch-app.js';
import { startFhirTestServer, type FhirTestServer } from './helpers/fhir-test-server.js';

// Issue 10 "Clinical safety" (items 5–7) and the hook-data part of item 8, through POST /cds-services/:id of
// the real app serving the medication-safety services, with a real FHIR server on 127.0.0.1 for the EHR's.
const TOKEN = 'clinical-safety-access-token';
const RXNORM = 'http://www.nlm.nih.gov/research/umls/rxnorm';
const ORDER_SIGN = 'medication-safety-order-sign';
const ORDER_SELECT = 'medication-safety-order-select';
const STATIN_MACROLIDE = FIXTURES['not-ok']['order-sign-statin-macrolide'];
const PATIENT = STATIN_MACROLIDE.context.patientId;

type Json = Record<string, unknown>;

/** A fixture as a fresh call: deep copy, new hookInstance, then `edit`. */
function body(fixture: CdsRequest, edit: (b: Json & CdsRequest) => void = () => undefined): Json & CdsRequest {
  const copy = structuredClone(fixture) as Json & CdsRequest;
  copy.hookInstance = randomUUID();
  edit(copy);
  return copy;
}

const prefetchOf = (b: CdsRequest): Record<string, unknown> => b.prefetch!;
const firstDraft = (b: CdsRequest): Json => b.context.draftOrders!.entry![0]!.resource as Json;
const searchset = (entry: unknown) => ({ resourceType: 'Bundle', type: 'searchset', entry });
const allergy = (id: string, code: unknown) => ({ resourceType: 'AllergyIntolerance', id, code, patient: { reference: `Patient/${PATIENT}` } });
const ibuprofenDraft = {
  resourceType: 'MedicationRequest',
  id: 'draft-ibuprofen',
  status: 'draft',
  intent: 'order',
  subject: { reference: `Patient/${PATIENT}` },
  medicationCodeableConcept: { coding: [{ system: RXNORM, code: '197807', display: 'Ibuprofen 800 MG Oral Tablet' }] },
};

/** An order-select call for one draft the clinician just began, with `medication` as its medication elements. */
const begun = (medication: Json) =>
  body(FIXTURES['not-ok']['order-select-tizanidine-ciprofloxacin-drafts'], (b) => {
    b.context.draftOrders!.entry = [{ resource: { resourceType: 'MedicationRequest', id: 'draft-new', status: 'draft', intent: 'order', subject: { reference: `Patient/${b.context.patientId}` }, ...medication } }];
    b.context.selections = ['MedicationRequest/draft-new'];
  });

const topics = (res: Response): [string, string | undefined][] => (res.body.cards as Card[]).map((c) => [c.indicator, c.source.topic?.code]);
const warning = (res: Response): Card => (res.body.cards as Card[]).find((c) => c.source.topic?.code === 'checks-not-performed')!;

describe('issue 10 clinical safety (medication-safety over HTTP)', () => {
  let fhir: FhirTestServer;
  let app: PrefetchTestApp;

  const withAuth = <B extends CdsRequest>(b: B, auth: Json = {}) =>
    Object.assign(b, {
      fhirServer: fhir.base,
      fhirAuthorization: {
        access_token: TOKEN,
        token_type: 'Bearer',
        expires_in: 300,
        scope: 'patient/MedicationRequest.read patient/MedicationStatement.read patient/AllergyIntolerance.read patient/Patient.read',
        subject: 'hookwarden',
        patient: b.context.patientId,
        ...auth,
      },
    });

  const droppedFor = async (hookInstance: string): Promise<number> => {
    const rows = await app.t.app.get<Database>(DATABASE).query<{ prefetch_dropped: number }>('SELECT prefetch_dropped FROM cds_invocations WHERE hook_instance = $1', [hookInstance]);
    return rows[0]!.prefetch_dropped;
  };

  beforeAll(async () => {
    fhir = await startFhirTestServer();
    app = await startPrefetchTestApp([...medicationSafetyServices, needsPrefetchService], [fhir.base]);
  });
  afterAll(async () => {
    await app.t.close();
    await fhir.close();
  });
  beforeEach(() => {
    fhir.requests.length = 0;
    fhir.routes.clear();
  });

  describe('issue 10.5: missing or dropped prefetch', () => {
    it('issue 10.5: a missing allergy list (no fhirServer) still answers the interaction, plus one warning naming the drug–allergy check, not a 412', async () => {
      const res = await app.call(ORDER_SIGN, body(STATIN_MACROLIDE, (b) => delete prefetchOf(b)['allergyIntolerances']));
      expect(res.status).toBe(200);
      expect(topics(res)).toEqual([
        ['critical', 'onc-hp-ddi-11'],
        ['warning', 'checks-not-performed'],
      ]);
      expect(warning(res).detail).toContain('**Drug–allergy check not performed:** the patient’s allergy list was not sent by the EHR');
    });

    it('issue 10.5: an allergy fetch the FHIR server fails says the list could not be retrieved', async () => {
      fhir.routes.set(`AllergyIntolerance?patient=${PATIENT}`, { status: 500, body: { resourceType: 'OperationOutcome', issue: [{ severity: 'error', code: 'exception' }] } });
      const res = await app.call(ORDER_SIGN, withAuth(body(STATIN_MACROLIDE, (b) => delete prefetchOf(b)['allergyIntolerances'])));
      expect(fhir.requests.map((r) => r.authorization)).toEqual([`Bearer ${TOKEN}`]);
      expect(topics(res)).toEqual([
        ['critical', 'onc-hp-ddi-11'],
        ['warning', 'checks-not-performed'],
      ]);
      expect(warning(res).detail).toContain('**Drug–allergy check not performed:** the patient’s allergy list could not be retrieved.');
    });

    it('issue 10.5: a fhirAuthorization for another patient drops the prefetch: a warning, never a silent {"cards": []}, and the drops recorded', async () => {
      const b = withAuth(body(STATIN_MACROLIDE), { patient: 'someone-else' });
      const res = await app.call(ORDER_SIGN, b);
      expect(res.status).toBe(200);
      expect(topics(res)).toEqual([['warning', 'checks-not-performed']]);
      expect(warning(res).detail).toContain('the patient’s list of active medication orders is not covered by the access granted for this call');
      expect(fhir.requests).toEqual([]);
      // The active simvastatin and the Patient, removed by the scope evaluator.
      expect(await droppedFor(b.hookInstance)).toBe(2);
    });

    it('issue 10.5: scopes that do not cover the allergies: the drug–allergy check is named not performed', async () => {
      const b = withAuth(body(FIXTURES['not-ok']['order-sign-drug-allergy']), { scope: 'patient/MedicationRequest.read patient/MedicationStatement.read patient/Patient.read' });
      const res = await app.call(ORDER_SIGN, b);
      expect(res.status).toBe(200);
      expect(topics(res)).toEqual([['warning', 'checks-not-performed']]);
      expect(warning(res).summary).toBe('Medication safety checks incomplete: drug–allergy');
      expect(warning(res).detail).toContain('the patient’s allergy list is not covered by the access granted for this call');
      expect(await droppedFor(b.hookInstance)).toBe(1);
    });

    it('issue 10.5: P1 only a service that declares a key essential answers 412 without it', async () => {
      const res = await app.call(needsPrefetchService.id, { hook: 'patient-view', hookInstance: randomUUID(), context: { userId: 'Practitioner/u1', patientId: 'p1' } });
      expectOperationOutcome(res, 412, ['processing']);
    });

    it('issue 10.5: each outcome is logged with service id, keys and reason, and no patient ids, data, URLs or token', async () => {
      const spies = (['log', 'warn', 'error', 'debug', 'verbose'] as const).map((m) => vi.spyOn(Logger.prototype, m));
      try {
        await app.call(ORDER_SIGN, body(STATIN_MACROLIDE, (b) => delete prefetchOf(b)['allergyIntolerances']));
        await app.call(ORDER_SIGN, withAuth(body(STATIN_MACROLIDE), { patient: 'someone-else' }));
        await app.call(needsPrefetchService.id, { hook: 'patient-view', hookInstance: randomUUID(), context: { userId: 'Practitioner/u1', patientId: 'p1' } });
        const messages = spies.flatMap((spy) => spy.mock.calls.map((args) => args.map(String).join(' '))).join('\n');
        expect(messages).toContain(`service ${ORDER_SIGN}: prefetch incomplete, evaluating with what arrived: allergyIntolerances (not-supplied-and-not-fetchable)`);
        expect(messages).toContain(`service ${ORDER_SIGN}: prefetch incomplete, evaluating with what arrived: medicationRequests (scope-dropped), patient (scope-dropped)`);
        expect(messages).toContain(`service ${needsPrefetchService.id}: essential prefetch unavailable, answering 412: patient (not-supplied-and-not-fetchable)`);
        expect(messages).not.toMatch(new RegExp(`${PATIENT}|someone-else|simvastatin|198211|${TOKEN}|127\\.0\\.0\\.1|Bearer`, 'i'));
      } finally {
        for (const spy of spies) spy.mockRestore();
      }
    });
  });

  describe('issue 10.6: an order just begun', () => {
    it.each([
      ['no medication element', {}],
      ['an empty medicationCodeableConcept', { medicationCodeableConcept: {} }],
      ['no coding and no text', { medicationCodeableConcept: { coding: [] } }],
      ['an empty medicationReference', { medicationReference: {} }],
    ])('issue 10.6: a draft with %s answers no card (incomplete, not a critical "uncoded medication")', async (_name, medication) => {
      const res = await app.call(ORDER_SELECT, begun(medication));
      expect(res.status).toBe(200);
      expect(res.body.cards).toEqual([]);
    });

    it('issue 10.6: free text without an RxNorm code stays a critical uncoded card', async () => {
      const res = await app.call(ORDER_SELECT, begun({ medicationCodeableConcept: { text: 'Magic mouthwash' } }));
      expect(topics(res)).toEqual([['critical', 'uncoded-medication']]);
    });
  });

  describe('issue 10.7: card markdown', () => {
    it.each([
      ['statin + macrolide', STATIN_MACROLIDE],
      ['drug–allergy', FIXTURES['not-ok']['order-sign-drug-allergy']],
      ['duplicate therapy', FIXTURES['not-ok']['order-sign-duplicate-therapy']],
      ['uncoded medication', FIXTURES['not-ok']['order-sign-uncoded-medication']],
      ['checks not performed', body(STATIN_MACROLIDE, (b) => delete prefetchOf(b)['medicationStatements'])],
    ])('issue 10.7: %s: every card detail separates its lines by paragraph breaks or list items, never a single newline', async (_name, fixture) => {
      const res = await app.call(ORDER_SIGN, body(fixture));
      expect(res.status).toBe(200);
      const details = (res.body.cards as Card[]).map((c) => c.detail ?? '');
      expect(details.length).toBeGreaterThan(0);
      expect(details.flatMap(markdownProblems)).toEqual([]);
    });
  });

  describe('issue 10.8: malformed hook data never yields a 500', () => {
    it.each([
      ['draftOrders.entry is an object', (b: CdsRequest) => Object.assign(b.context.draftOrders!, { entry: { resource: firstDraft(b) } }), 'the list of draft orders could not be read'],
      ['draftOrders.entry is [null]', (b: CdsRequest) => Object.assign(b.context.draftOrders!, { entry: [null] }), 'the list of draft orders could not be read'],
      ['a draft entry has no resource', (b: CdsRequest) => b.context.draftOrders!.entry!.push({}), '1 draft order left out (could not be read)'],
      ['a draft coding is not an array', (b: CdsRequest) => Object.assign(firstDraft(b), { medicationCodeableConcept: { coding: { system: RXNORM, code: '197517' } } }), 'the list of draft orders could not be read'],
      ['a draft code.text is not a string', (b: CdsRequest) => Object.assign(firstDraft(b), { medicationCodeableConcept: { text: 42 } }), 'the list of draft orders could not be read'],
      ['a prefetch entry is not an array', (b: CdsRequest) => Object.assign(prefetchOf(b), { medicationRequests: searchset({}) }), 'active medication orders could not be read'],
      ['prefetch entries are [null]', (b: CdsRequest) => Object.assign(prefetchOf(b), { allergyIntolerances: searchset([null]) }), 'the patient’s allergy list could not be read'],
      ['an active medication’s coding is not an array', (b: CdsRequest) => Object.assign(prefetchOf(b), { medicationRequests: searchset([{ resource: { ...ibuprofenDraft, id: 'm', status: 'active', medicationCodeableConcept: { coding: 'x' } } }]) }), 'active medication orders could not be read'],
    ])('issue 10.8: %s → 200 with the gap named, not a 500', async (_name, edit, words) => {
      const res = await app.call(ORDER_SIGN, body(STATIN_MACROLIDE, edit));
      expect(res.status).toBe(200);
      expect(warning(res).detail).toContain(words);
    });

    it('issue 10.8: one unreadable allergy (a non-string code.text) does not void the answer: both critical cards, the warning, and the drop counted', async () => {
      const b = body(STATIN_MACROLIDE, (c) => {
        c.context.draftOrders!.entry!.push({ resource: ibuprofenDraft });
        const ibuprofen = { coding: [{ system: RXNORM, code: '5640' }] };
        prefetchOf(c)['allergyIntolerances'] = searchset([{ resource: allergy('broken', { ...ibuprofen, text: 42 }) }, { resource: allergy('ibuprofen', ibuprofen) }]);
      });
      const res = await app.call(ORDER_SIGN, b);
      expect(res.status).toBe(200);
      expect(topics(res)).toEqual([
        ['critical', 'drug-allergy'],
        ['critical', 'onc-hp-ddi-11'],
        ['warning', 'checks-not-performed'],
      ]);
      expect(warning(res).detail).toContain('1 allergy record left out (could not be read)');
      expect(await droppedFor(b.hookInstance)).toBe(1);
    });

    it('issue 10.8: an order-select whose draftOrders.entry is not an array is a 400 OperationOutcome (its selections are not drafts)', async () => {
      const b = body(FIXTURES['not-ok']['order-select-tizanidine-ciprofloxacin-drafts'], (c) => Object.assign(c.context.draftOrders!, { entry: { resource: firstDraft(c) } }));
      expectOperationOutcome(await app.call(ORDER_SELECT, b), 400, ['invalid', 'required', 'structure', 'value']);
    });
  });
});

import type { Card, CdsRequest, FhirResource } from '../../src/cds/cds-types.js';
import { services } from '../index.js';
import { evaluateMedicationSafety, medicationSafetyServices, MEDICATION_SAFETY_PREFETCH, MEDICATION_SAFETY_SCOPES } from './service.js';
import { RXNORM_SYSTEM } from './medications.js';
import { medicationRequest, PATIENT_ID, searchset } from './testing/builders.js';

function request(drafts: FhirResource[]): CdsRequest {
  return {
    hook: 'order-sign',
    hookInstance: 'd1577c69-dfbe-44ad-ba6d-3e05e953b2ea',
    context: { userId: 'Practitioner/p1', patientId: PATIENT_ID, draftOrders: { resourceType: 'Bundle', type: 'collection', entry: drafts.map((resource) => ({ resource })) } },
  };
}

const full = (actives: FhirResource[]): Record<string, FhirResource | null> => ({
  medicationRequests: searchset(actives),
  medicationStatements: searchset([]),
  allergyIntolerances: searchset([]),
  patient: { resourceType: 'Patient', id: PATIENT_ID },
});

const topics = (cards: Card[]) => cards.map((c) => [c.indicator, c.source.topic?.code]);

const clarithromycinDraft = medicationRequest('d', '197517', 'draft');
const simvastatin = medicationRequest('a', '198211');

describe('medication-safety service definitions', () => {
  // Pinned on purpose: a new id, hook, template or scope must be a visible change here.
  it('serves one service id per hook and is registered in hooks/index.ts', () => {
    expect(medicationSafetyServices.map((s) => [s.id, s.hook])).toEqual([
      ['medication-safety-order-select', 'order-select'],
      ['medication-safety-order-sign', 'order-sign'],
      ['medication-safety-prescribe', 'medication-prescribe'],
    ]);
    expect(services).toEqual(expect.arrayContaining(medicationSafetyServices));
  });

  it('declares CDS Hooks 2.0 prefetch templates, none essential (never a 412), each searchset read by the service’s reader', () => {
    const readable = expect.any(Function);
    expect(MEDICATION_SAFETY_PREFETCH).toEqual({
      medicationRequests: { template: 'MedicationRequest?patient={{context.patientId}}&status=active', readable },
      medicationStatements: { template: 'MedicationStatement?patient={{context.patientId}}&status=active', readable },
      allergyIntolerances: { template: 'AllergyIntolerance?patient={{context.patientId}}', readable },
      patient: { template: 'Patient/{{context.patientId}}' },
    });
    for (const { template } of Object.values(MEDICATION_SAFETY_PREFETCH)) expect(template.match(/\{\{[^}]*\}\}/g)).toEqual(['{{context.patientId}}']);
  });

  it('issue 10.8 refuses, per key, only resources of its type that the reader cannot read', () => {
    const { medicationRequests, allergyIntolerances } = MEDICATION_SAFETY_PREFETCH;
    expect(medicationRequests!.readable!(medicationRequest('a', '198211'))).toBe(true);
    expect(medicationRequests!.readable!({ ...medicationRequest('a', '198211'), medicationCodeableConcept: { coding: 'x' } })).toBe(false);
    expect(allergyIntolerances!.readable!({ resourceType: 'AllergyIntolerance', code: { text: 5 } })).toBe(false);
    expect(allergyIntolerances!.readable!({ resourceType: 'Medication', code: { text: 5 } })).toBe(true);
  });

  it('requests the least SMART v2 scopes: read/search of what it compares', () => {
    expect(MEDICATION_SAFETY_SCOPES).toEqual([
      'patient/MedicationRequest.rs',
      'patient/MedicationStatement.rs',
      'patient/AllergyIntolerance.rs',
      'patient/Patient.r',
      'patient/MedicationRequest.cu',
      'patient/Provenance.rs',
      'patient/DetectedIssue.rs',
    ]);
  });
});

describe('evaluateMedicationSafety', () => {
  it('answers {cards: []} for a safe order', () => {
    expect(evaluateMedicationSafety(request([medicationRequest('d', '197807', 'draft')]), { prefetch: full([simvastatin]), unavailable: [], effectiveScopes: [] })).toEqual({ cards: [] });
  });

  it('ignores active medications of another patient (no mixing of patients)', () => {
    const other = medicationRequest('a', '198211', 'active', 'someone-else');
    expect(evaluateMedicationSafety(request([clarithromycinDraft]), { prefetch: full([other]), unavailable: [], effectiveScopes: [] }).cards).toEqual([]);
  });

  it('ignores stopped medications in the active searchset', () => {
    expect(evaluateMedicationSafety(request([clarithromycinDraft]), { prefetch: full([medicationRequest('a', '198211', 'stopped')]), unavailable: [], effectiveScopes: [] }).cards).toEqual([]);
  });

  it('says when a draft is outside the knowledge base instead of answering nothing', () => {
    const { cards } = evaluateMedicationSafety(request([medicationRequest('d', '999999', 'draft')]), { prefetch: full([simvastatin]), unavailable: [], effectiveScopes: [] });
    expect(cards.map((c) => [c.indicator, c.source.topic?.code])).toEqual([['info', 'unknown-medication']]);
  });

  it('puts critical cards before warnings', () => {
    const drafts = [medicationRequest('d1', '197807', 'draft'), clarithromycinDraft];
    const actives = [simvastatin, medicationRequest('w', '855332')];
    const { cards } = evaluateMedicationSafety(request(drafts), { prefetch: full(actives), unavailable: [], effectiveScopes: [] });
    expect(cards.map((c) => c.indicator)).toEqual(['critical', 'warning']);
  });

  it('omits the azithromycin swap when azithromycin would itself interact (patient on citalopram: QT)', () => {
    const citalopram = medicationRequest('c', '2556');
    const { cards } = evaluateMedicationSafety(request([clarithromycinDraft]), { prefetch: full([simvastatin, citalopram]), unavailable: [], effectiveScopes: [] });
    const statinCard = cards.find((c) => c.source.topic?.code === 'onc-hp-ddi-11')!;
    const labels = statinCard.suggestions?.map((s) => s.label) ?? [];
    expect(labels.length).toBeGreaterThan(0);
    expect(labels.some((label) => label.includes('azithromycin'))).toBe(false);
    expect(cards.map((c) => c.source.topic?.code)).toEqual(['onc-hp-ddi-11', 'onc-hp-ddi-8']);
  });

  it('names on every card the stable knowledge-base rule that made it, the same id as its source.topic', () => {
    const allergy: FhirResource = {
      resourceType: 'AllergyIntolerance',
      id: 'al',
      patient: { reference: `Patient/${PATIENT_ID}` },
      clinicalStatus: { coding: [{ system: 'http://terminology.hl7.org/CodeSystem/allergyintolerance-clinical', code: 'active' }] },
      code: { coding: [{ system: RXNORM_SYSTEM, code: '21212', display: 'Clarithromycin' }] },
    };
    const drafts = [clarithromycinDraft, medicationRequest('u', undefined, 'draft'), medicationRequest('x', '999999', 'draft'), medicationRequest('s2', '198211', 'draft')];
    const { medicationStatements: _missing, ...rest } = full([simvastatin]);
    const prefetch = { ...rest, allergyIntolerances: searchset([allergy]) };
    const { cards } = evaluateMedicationSafety(request(drafts), { prefetch, unavailable: [], effectiveScopes: [] });
    const rules = cards.map((c) => c.rule);
    expect(rules).toEqual(cards.map((c) => c.source.topic?.code));
    expect(new Set(rules)).toEqual(new Set(['onc-hp-ddi-11', 'drug-allergy', 'uncoded-medication', 'unknown-medication', 'duplicate-therapy', 'checks-not-performed']));
  });

  describe('issue 10.5: checks the data does not allow are named on one warning card', () => {
    it('P3 treats null as "no data", not as a gap', () => {
      const prefetch = { ...full([]), medicationStatements: null };
      expect(evaluateMedicationSafety(request([clarithromycinDraft]), { prefetch, unavailable: [], effectiveScopes: [] }).cards).toEqual([]);
    });

    it('P4 names data the client reported an error for (an OperationOutcome in place of the searchset)', () => {
      const outcome = { resourceType: 'OperationOutcome', issue: [{ severity: 'error', code: 'timeout' }] };
      const { cards } = evaluateMedicationSafety(request([clarithromycinDraft]), { prefetch: { ...full([]), allergyIntolerances: outcome }, unavailable: [], effectiveScopes: [] });
      expect(topics(cards)).toEqual([['warning', 'checks-not-performed']]);
      expect(cards[0]!.summary).toBe('Medication safety checks incomplete: drug–allergy');
    });

    it('names a key missing without a report too, and missing optional-looking data as a warning all the same', () => {
      const { medicationStatements: _omit, ...prefetch } = full([]);
      const { cards } = evaluateMedicationSafety(request([clarithromycinDraft]), { prefetch, unavailable: [], effectiveScopes: [] });
      expect(cards.map((c) => [c.indicator, c.summary])).toEqual([['warning', 'Medication safety checks incomplete: reported medications']]);
    });

    it('makes no card for the Patient prefetch, which no check reads', () => {
      const { patient: _omit, ...prefetch } = full([]);
      const unavailable = [{ key: 'patient', reason: 'scope-dropped' as const }];
      expect(evaluateMedicationSafety(request([clarithromycinDraft]), { prefetch, unavailable, effectiveScopes: [] }).cards).toEqual([]);
    });

    it('issue 10.6 makes no card at all when there is no draft to check (an order just begun)', () => {
      const begun = { resourceType: 'MedicationRequest', id: 'new', status: 'draft', intent: 'order', subject: { reference: `Patient/${PATIENT_ID}` } };
      const { allergyIntolerances: _omit, ...prefetch } = full([]);
      expect(evaluateMedicationSafety(request([begun]), { prefetch, unavailable: [{ key: 'allergyIntolerances', reason: 'fetch-failed' }], effectiveScopes: [] }).cards).toEqual([]);
    });

    it('issue 10.8 one unreadable allergy does not void the answer: the allergy card for the readable one, and the warning', () => {
      const ibuprofenAllergy = { resourceType: 'AllergyIntolerance', id: 'al', code: { coding: [{ system: RXNORM_SYSTEM, code: '5640' }] }, patient: { reference: `Patient/${PATIENT_ID}` } };
      const broken = { ...ibuprofenAllergy, id: 'broken', code: { text: 42 } };
      const prefetch = { ...full([]), allergyIntolerances: searchset([broken, ibuprofenAllergy]) };
      const { cards } = evaluateMedicationSafety(request([medicationRequest('d', '197807', 'draft')]), { prefetch, unavailable: [], effectiveScopes: [] });
      expect(topics(cards)).toEqual([
        ['critical', 'drug-allergy'],
        ['warning', 'checks-not-performed'],
      ]);
      expect(cards[1]!.detail).toContain('1 allergy record left out (could not be read)');
    });

    it('does not count an informational outcome inside a searchset as a gap', () => {
      const info = { resourceType: 'OperationOutcome', issue: [{ severity: 'information', code: 'informational' }] };
      const prefetch = { ...full([]), medicationRequests: searchset([info]) };
      expect(evaluateMedicationSafety(request([clarithromycinDraft]), { prefetch, unavailable: [], effectiveScopes: [] }).cards).toEqual([]);
    });
  });
});

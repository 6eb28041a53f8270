import type { CdsRequest, FhirResource } from '../../src/cds/cds-types.js';
import { services } from '../index.js';
import { evaluateMedicationSafety, medicationSafetyServices, MEDICATION_SAFETY_PREFETCH, MEDICATION_SAFETY_SCOPES } from './service.js';
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

  it('declares CDS Hooks 2.0 prefetch templates, the active meds and allergies required', () => {
    expect(MEDICATION_SAFETY_PREFETCH).toEqual({
      medicationRequests: { template: 'MedicationRequest?patient={{context.patientId}}&status=active', required: true },
      medicationStatements: { template: 'MedicationStatement?patient={{context.patientId}}&status=active' },
      allergyIntolerances: { template: 'AllergyIntolerance?patient={{context.patientId}}', required: true },
      patient: { template: 'Patient/{{context.patientId}}' },
    });
    for (const { template } of Object.values(MEDICATION_SAFETY_PREFETCH)) expect(template.match(/\{\{[^}]*\}\}/g)).toEqual(['{{context.patientId}}']);
  });

  it('requests the least SMART v2 scopes: read/search of what it compares', () => {
    expect(MEDICATION_SAFETY_SCOPES).toEqual(['patient/MedicationRequest.rs', 'patient/MedicationStatement.rs', 'patient/AllergyIntolerance.rs', 'patient/Patient.r']);
  });
});

describe('evaluateMedicationSafety', () => {
  it('answers {cards: []} for a safe order', () => {
    expect(evaluateMedicationSafety(request([medicationRequest('d', '197807', 'draft')]), { prefetch: full([simvastatin]), effectiveScopes: [] })).toEqual({ cards: [] });
  });

  it('ignores active medications of another patient (no mixing of patients)', () => {
    const other = medicationRequest('a', '198211', 'active', 'someone-else');
    expect(evaluateMedicationSafety(request([clarithromycinDraft]), { prefetch: full([other]), effectiveScopes: [] }).cards).toEqual([]);
  });

  it('ignores stopped medications in the active searchset', () => {
    expect(evaluateMedicationSafety(request([clarithromycinDraft]), { prefetch: full([medicationRequest('a', '198211', 'stopped')]), effectiveScopes: [] }).cards).toEqual([]);
  });

  it('says when a draft is outside the knowledge base instead of answering nothing', () => {
    const { cards } = evaluateMedicationSafety(request([medicationRequest('d', '999999', 'draft')]), { prefetch: full([simvastatin]), effectiveScopes: [] });
    expect(cards.map((c) => [c.indicator, c.source.topic?.code])).toEqual([['info', 'unknown-medication']]);
  });

  it('puts critical cards before warnings', () => {
    const drafts = [medicationRequest('d1', '197807', 'draft'), clarithromycinDraft];
    const actives = [simvastatin, medicationRequest('w', '855332')];
    const { cards } = evaluateMedicationSafety(request(drafts), { prefetch: full(actives), effectiveScopes: [] });
    expect(cards.map((c) => c.indicator)).toEqual(['critical', 'warning']);
  });

  it('omits the azithromycin swap when azithromycin would itself interact (patient on citalopram: QT)', () => {
    const citalopram = medicationRequest('c', '2556');
    const { cards } = evaluateMedicationSafety(request([clarithromycinDraft]), { prefetch: full([simvastatin, citalopram]), effectiveScopes: [] });
    const statinCard = cards.find((c) => c.source.topic?.code === 'onc-hp-ddi-11')!;
    const labels = statinCard.suggestions?.map((s) => s.label) ?? [];
    expect(labels.length).toBeGreaterThan(0);
    expect(labels.some((label) => label.includes('azithromycin'))).toBe(false);
    expect(cards.map((c) => c.source.topic?.code)).toEqual(['onc-hp-ddi-11', 'onc-hp-ddi-8']);
  });

  describe('P3/P4 degraded prefetch', () => {
    it('P3 treats null as "no data", not as a gap', () => {
      const prefetch = { ...full([]), medicationStatements: null };
      expect(evaluateMedicationSafety(request([clarithromycinDraft]), { prefetch, effectiveScopes: [] }).cards).toEqual([]);
    });

    it('P4 names required data the client could not fetch on a warning card, and still checks the rest', () => {
      const outcome = { resourceType: 'OperationOutcome', issue: [{ severity: 'error', code: 'timeout' }] };
      const prefetch = { ...full([]), allergyIntolerances: outcome, medicationStatements: searchset([simvastatin]) };
      const { cards } = evaluateMedicationSafety(request([clarithromycinDraft]), { prefetch, effectiveScopes: [] });
      expect(cards.map((c) => [c.indicator, c.source.topic?.code])).toEqual([['warning', 'data-gap']]);
      expect(cards[0]!.summary).toBe('Medication safety check incomplete: allergies could not be read');
    });

    it('names a missing key too (a host that let the call through without it)', () => {
      const { medicationRequests: _omit, ...prefetch } = full([]);
      const { cards } = evaluateMedicationSafety(request([clarithromycinDraft]), { prefetch, effectiveScopes: [] });
      expect(cards[0]!.summary).toContain('active medication orders');
    });

    it('names missing optional data on an info card only', () => {
      const { medicationStatements: _omit, ...prefetch } = full([]);
      const { cards } = evaluateMedicationSafety(request([clarithromycinDraft]), { prefetch, effectiveScopes: [] });
      expect(cards.map((c) => [c.indicator, c.summary])).toEqual([['info', 'Medication safety check incomplete: medication statements could not be read']]);
    });

    it('does not count an informational outcome inside a searchset as a gap', () => {
      const info = { resourceType: 'OperationOutcome', issue: [{ severity: 'information', code: 'informational' }] };
      const prefetch = { ...full([]), medicationRequests: searchset([info]) };
      expect(evaluateMedicationSafety(request([clarithromycinDraft]), { prefetch, effectiveScopes: [] }).cards).toEqual([]);
    });
  });
});

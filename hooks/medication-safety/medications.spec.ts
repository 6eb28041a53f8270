import type { CdsRequest } from '../../src/cds/cds-types.js';
import { draftMedicationOrders, ingredientsOf, refersToPatient } from './medications.js';
import { medicationRequest, PATIENT_ID } from './testing/builders.js';

const bundle = (...resources: ReturnType<typeof medicationRequest>[]) =>
  ({ resourceType: 'Bundle', type: 'collection', entry: resources.map((resource) => ({ resource })) }) as const;

describe('ingredientsOf', () => {
  it('maps SCD, SBD and ingredient codes to ingredients, once each, and unknown codes to nothing', () => {
    expect(ingredientsOf(['198211', '152923', '36567'])).toEqual(['36567']);
    expect(ingredientsOf(['999999'])).toEqual([]);
  });
});

describe('refersToPatient', () => {
  it.each([
    ['Patient/pt-1', true],
    ['https://ehr.example.org/fhir/Patient/pt-1', true],
    ['Patient/pt-10', false],
    ['Group/pt-1', false],
    [undefined, false],
  ])('%s → %s', (ref, expected) => {
    expect(refersToPatient(ref, PATIENT_ID)).toBe(expected);
  });
});

describe('draftMedicationOrders', () => {
  const base = { hookInstance: 'x', context: { userId: 'Practitioner/p', patientId: PATIENT_ID } };
  const drafts = bundle(medicationRequest('d1', '197517', 'draft'), medicationRequest('d2', '197807', 'draft'));

  it('order-sign reads draftOrders and focuses on every draft, ignoring other request types', () => {
    const other = { resourceType: 'ServiceRequest', id: 's', status: 'draft' };
    const withOther = { ...drafts, entry: [...drafts.entry, { resource: other }] };
    const request = { ...base, hook: 'order-sign', context: { ...base.context, draftOrders: withOther } } as unknown as CdsRequest;
    const { drafts: found, focus } = draftMedicationOrders(request);
    expect(found.map((d) => d.reference)).toEqual(['MedicationRequest/d1', 'MedicationRequest/d2']);
    expect([...focus]).toEqual(['MedicationRequest/d1', 'MedicationRequest/d2']);
  });

  it('order-select focuses on the selections', () => {
    const request = { ...base, hook: 'order-select', context: { ...base.context, draftOrders: drafts, selections: ['MedicationRequest/d2'] } } as unknown as CdsRequest;
    expect([...draftMedicationOrders(request).focus]).toEqual(['MedicationRequest/d2']);
  });

  it('medication-prescribe reads context.medications', () => {
    const request = { ...base, hook: 'medication-prescribe', context: { ...base.context, medications: drafts } } as unknown as CdsRequest;
    expect(draftMedicationOrders(request).drafts).toHaveLength(2);
  });

  const orderSign = (draftOrders: unknown) => ({ ...base, hook: 'order-sign', context: { ...base.context, draftOrders } }) as unknown as CdsRequest;

  it('issue 10.6 leaves out a draft that names no medication (an order just begun): incomplete, not uncoded, no gap', () => {
    const begun = [
      { resourceType: 'MedicationRequest', id: 'e1', status: 'draft', intent: 'order' },
      { resourceType: 'MedicationRequest', id: 'e2', status: 'draft', intent: 'order', medicationCodeableConcept: {} },
      { resourceType: 'MedicationRequest', id: 'e3', status: 'draft', intent: 'order', medicationCodeableConcept: { coding: [], text: '' } },
      { resourceType: 'MedicationRequest', id: 'e4', status: 'draft', intent: 'order', medicationReference: {} },
    ];
    const { drafts: found, focus, gaps } = draftMedicationOrders(orderSign({ resourceType: 'Bundle', entry: [...begun.map((resource) => ({ resource })), ...drafts.entry] }));
    expect(found.map((d) => d.reference)).toEqual(['MedicationRequest/d1', 'MedicationRequest/d2']);
    expect([...focus]).toEqual(['MedicationRequest/d1', 'MedicationRequest/d2']);
    expect(gaps).toEqual([]);
  });

  it('issue 10.8 counts unreadable drafts (null entries, no resource, a non-array coding, a non-string text) as a draft-orders gap', () => {
    const badCoding = { ...medicationRequest('b1', undefined, 'draft'), medicationCodeableConcept: { coding: { code: '197517' } } };
    const badText = { ...medicationRequest('b2', undefined, 'draft'), medicationCodeableConcept: { text: 42 } };
    const entry = [null, {}, { resource: badCoding }, { resource: badText }, ...drafts.entry];
    const { drafts: found, gaps } = draftMedicationOrders(orderSign({ resourceType: 'Bundle', entry }));
    expect(found.map((d) => d.reference)).toEqual(['MedicationRequest/d1', 'MedicationRequest/d2']);
    expect(gaps).toEqual([{ key: 'draftOrders', reason: 'invalid-data', entries: 4 }]);
  });

  it.each([
    ['a non-array entry', { resourceType: 'Bundle', entry: { resource: medicationRequest('d1', '197517', 'draft') } }],
    ['nothing readable', { resourceType: 'Bundle', entry: [null, { resource: { resourceType: 'MedicationRequest', id: 7 } }] }],
  ])('issue 10.8 reports the whole of the draft orders unreadable for %s', (_name, draftOrders) => {
    expect(draftMedicationOrders(orderSign(draftOrders))).toEqual({ drafts: [], focus: new Set(), gaps: [{ key: 'draftOrders', reason: 'invalid-data' }] });
  });
});

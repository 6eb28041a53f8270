import type { CdsRequest } from '../../src/cds/cds-types.js';
import { activeMedications, draftMedicationOrders, ingredientsOf, isPrefetchGap, refersToPatient } from './medications.js';
import { medicationRequest, PATIENT_ID, searchset } from './testing/builders.js';

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
});

describe('activeMedications', () => {
  it('keeps active MedicationRequests and MedicationStatements of the patient', () => {
    const statement = { ...medicationRequest('s', '42355'), resourceType: 'MedicationStatement' };
    const requests = searchset([medicationRequest('a', '198211'), medicationRequest('b', '198211', 'completed'), medicationRequest('c', '198211', 'active', 'other')]);
    expect(activeMedications(requests, searchset([statement]), PATIENT_ID).map((m) => m.reference)).toEqual(['MedicationRequest/a', 'MedicationStatement/s']);
  });
});

describe('isPrefetchGap', () => {
  it.each([
    ['missing key', undefined, true],
    ['null (searched, nothing found)', null, false],
    ['empty searchset', searchset([]), false],
    ['OperationOutcome instead of data', { resourceType: 'OperationOutcome', issue: [] }, true],
    ['searchset carrying an error outcome', searchset([{ resourceType: 'OperationOutcome', issue: [{ severity: 'fatal' }] }]), true],
    ['searchset carrying a warning outcome', searchset([{ resourceType: 'OperationOutcome', issue: [{ severity: 'warning' }] }]), false],
  ])('%s → %s', (_name, value, expected) => {
    expect(isPrefetchGap(value)).toBe(expected);
  });
});

import { RXNORM_SYSTEM } from './medications.js';
import { readableAs, readAllergy, readBundle, readMedication, unreadableGaps } from './reader.js';

// issue 10.8: unknown JSON in, typed views out; a field the checks use in a shape R4 does not allow makes
// the resource unreadable (undefined), never a TypeError and never a cast.
const order = (extra: Record<string, unknown>) => ({ resourceType: 'MedicationRequest', id: 'm1', status: 'draft', subject: { reference: 'Patient/p1' }, ...extra });
const rxnorm = (code: string) => ({ coding: [{ system: RXNORM_SYSTEM, code, display: `RxNorm ${code}` }] });
const allergy = (extra: Record<string, unknown>) => ({ resourceType: 'AllergyIntolerance', id: 'a1', patient: { reference: 'Patient/p1' }, code: rxnorm('5640'), ...extra });

describe('readMedication', () => {
  it('reads the fields the checks use and keeps the resource as received', () => {
    const resource = order({ medicationCodeableConcept: rxnorm('197517') });
    expect(readMedication(resource)).toEqual({
      resource,
      id: 'm1',
      status: 'draft',
      subject: 'Patient/p1',
      medication: { kind: 'concept', concept: { codings: [{ system: RXNORM_SYSTEM, code: '197517', display: 'RxNorm 197517' }] } },
    });
  });

  it('reads a MedicationStatement and a contained Medication’s code', () => {
    const statement = { ...order({}), resourceType: 'MedicationStatement', contained: [{ resourceType: 'Medication', id: 'x', code: rxnorm('42355') }], medicationReference: { reference: '#x' } };
    expect(readMedication(statement)?.medication).toMatchObject({ kind: 'concept', concept: { codings: [{ code: '42355' }] } });
  });

  it.each([
    ['no medication element', {}],
    ['an empty concept', { medicationCodeableConcept: {} }],
    ['no coding and empty text', { medicationCodeableConcept: { coding: [], text: '' } }],
    ['codings that name nothing', { medicationCodeableConcept: { coding: [{ system: RXNORM_SYSTEM }] } }],
    ['an empty reference', { medicationReference: {} }],
  ])('issue 10.6 %s: no medication at all', (_name, extra) => {
    expect(readMedication(order(extra))?.medication).toEqual({ kind: 'none' });
  });

  it.each([
    ['free text', { medicationCodeableConcept: { text: 'Magic mouthwash' } }, 'concept'],
    ['a Medication elsewhere', { medicationReference: { reference: 'Medication/m9' } }, 'unresolved'],
    ['a reference with a display only', { medicationReference: { display: 'Aspirin' } }, 'unresolved'],
    ['a contained id that is not there', { medicationReference: { reference: '#nope' } }, 'unresolved'],
    ['a contained Medication without code', { medicationReference: { reference: '#x' }, contained: [{ resourceType: 'Medication', id: 'x' }] }, 'unresolved'],
  ])('%s names a medication (%s), so an uncoded order stays uncoded', (_name, extra, kind) => {
    expect(readMedication(order(extra))?.medication.kind).toBe(kind);
  });

  it.each([
    ['a non-array coding', { medicationCodeableConcept: { coding: { system: RXNORM_SYSTEM, code: '197517' } } }],
    ['a null coding', { medicationCodeableConcept: { coding: [null] } }],
    ['a numeric code', { medicationCodeableConcept: { coding: [{ system: RXNORM_SYSTEM, code: 197517 }] } }],
    ['a non-string text', { medicationCodeableConcept: { text: { value: 'x' } } }],
    ['a concept that is a string', { medicationCodeableConcept: 'ibuprofen' }],
    ['a reference that is a string', { medicationReference: 'Medication/1' }],
    ['a numeric reference', { medicationReference: { reference: 5 } }],
    ['a non-array contained', { medicationReference: { reference: '#x' }, contained: { resourceType: 'Medication', id: 'x' } }],
    ['a numeric id', { id: 1 }],
    ['a non-string status', { status: ['active'] }],
    ['a subject that is a string', { subject: 'Patient/p1' }],
    ['a null subject', { subject: null }],
  ])('issue 10.8 %s → unreadable', (_name, extra) => {
    expect(readMedication(order(extra))).toBeUndefined();
  });

  it.each([null, 'MedicationRequest', [], { resourceType: 3 }, { resourceType: 'AllergyIntolerance' }])('%j is no MedicationRequest or MedicationStatement', (value) => {
    expect(readMedication(value)).toBeUndefined();
  });
});

describe('readAllergy', () => {
  it('reads substance, statuses and patient', () => {
    expect(readAllergy(allergy({ clinicalStatus: { coding: [{ code: 'active' }] } }))).toEqual({
      id: 'a1',
      patient: 'Patient/p1',
      substance: { codings: [{ system: RXNORM_SYSTEM, code: '5640', display: 'RxNorm 5640' }] },
      clinicalStatus: { codings: [{ code: 'active' }] },
    });
  });

  it.each([
    ['a non-string code.text', { code: { text: 42 } }],
    ['a non-array code.coding', { code: { coding: 'x' } }],
    ['a non-array clinicalStatus.coding', { clinicalStatus: { coding: { code: 'active' } } }],
    ['a verificationStatus that is a string', { verificationStatus: 'confirmed' }],
    ['a null patient', { patient: null }],
  ])('issue 10.8 %s → unreadable', (_name, extra) => {
    expect(readAllergy(allergy(extra))).toBeUndefined();
  });
});

describe('readBundle', () => {
  it('counts entries that hold no resource', () => {
    const m = order({});
    expect(readBundle({ resourceType: 'Bundle', entry: [null, 1, {}, { resource: 'x' }, { resource: m }] })).toEqual({ resources: [m], unreadable: 4 });
    expect(readBundle({ resourceType: 'Bundle' })).toEqual({ resources: [], unreadable: 0 });
  });

  it.each([
    ['a non-array entry', { resourceType: 'Bundle', entry: {} }],
    ['not a Bundle', { resourceType: 'OperationOutcome' }],
    ['not an object', 'Bundle'],
  ])('%s → undefined', (_name, value) => {
    expect(readBundle(value)).toBeUndefined();
  });
});

describe('readableAs', () => {
  const readable = readableAs('AllergyIntolerance', readAllergy);

  it('refuses an unreadable resource of its type, never one of another type', () => {
    expect(readable({ resourceType: 'AllergyIntolerance', code: { text: 1 } })).toBe(false);
    expect(readable({ resourceType: 'AllergyIntolerance', code: { text: 'ibuprofen' } })).toBe(true);
    expect(readable({ resourceType: 'Medication', code: { text: 1 } })).toBe(true);
  });
});

describe('unreadableGaps', () => {
  it.each([
    [0, 3, []],
    [2, 3, [{ key: 'k', reason: 'invalid-data', entries: 2 }]],
    [2, 0, [{ key: 'k', reason: 'invalid-data' }]],
    [undefined, 0, [{ key: 'k', reason: 'invalid-data' }]],
  ])('%s unreadable, %s readable → %j', (unreadable, readable, expected) => {
    expect(unreadableGaps('k', unreadable, readable)).toEqual(expected);
  });
});

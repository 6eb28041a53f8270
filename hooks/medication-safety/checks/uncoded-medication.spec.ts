import { RXNORM_SYSTEM } from '../medications.js';
import { item, medicationRequest, toItem } from '../testing/builders.js';
import { findUncodedMedications } from './uncoded-medication.js';

describe('findUncodedMedications', () => {
  it('flags a text-only draft', () => {
    expect(findUncodedMedications([item('d', undefined, 'draft')]).map((d) => d.reference)).toEqual(['MedicationRequest/d']);
  });

  it('flags a draft coded only in another system', () => {
    const ndcOnly = { ...medicationRequest('d', undefined, 'draft'), medicationCodeableConcept: { coding: [{ system: 'http://hl7.org/fhir/sid/ndc', code: '0093-7155-56' }] } };
    expect(findUncodedMedications([toItem(ndcOnly, 'draft')])).toHaveLength(1);
  });

  it('flags a draft referencing a Medication it does not contain (not readable without I/O)', () => {
    const { medicationCodeableConcept: _omit, ...rest } = medicationRequest('d', undefined, 'draft');
    expect(findUncodedMedications([toItem({ ...rest, medicationReference: { reference: 'Medication/m1' } }, 'draft')])).toHaveLength(1);
  });

  it('accepts an RxNorm-coded draft, also through a contained Medication', () => {
    const { medicationCodeableConcept: _omit, ...rest } = medicationRequest('d', undefined, 'draft');
    const contained = {
      ...rest,
      contained: [{ resourceType: 'Medication', id: 'm1', code: { coding: [{ system: RXNORM_SYSTEM, code: '197517' }] } }],
      medicationReference: { reference: '#m1' },
    };
    expect(findUncodedMedications([item('c', '197517', 'draft'), toItem(contained, 'draft')])).toEqual([]);
  });

  it('accepts an RxNorm code the knowledge base does not know (coded, just not in the demo KB)', () => {
    expect(findUncodedMedications([item('d', '999999', 'draft')])).toEqual([]);
  });
});

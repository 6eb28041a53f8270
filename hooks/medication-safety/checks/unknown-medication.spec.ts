import { item } from '../testing/builders.js';
import { findUnknownMedications } from './unknown-medication.js';

describe('findUnknownMedications', () => {
  it('flags an RxNorm product the knowledge base does not map to an ingredient', () => {
    expect(findUnknownMedications([item('d', '999999', 'draft')]).map((d) => d.reference)).toEqual(['MedicationRequest/d']);
  });

  it('accepts known products and ingredient-level codes', () => {
    expect(findUnknownMedications([item('p', '197517', 'draft'), item('i', '42355', 'draft')])).toEqual([]);
  });

  it('leaves uncoded drafts to the uncoded-medication check', () => {
    expect(findUnknownMedications([item('u', undefined, 'draft')])).toEqual([]);
  });
});

import { item } from '../testing/builders.js';
import { findDuplicateTherapy } from './duplicate-therapy.js';

describe('findDuplicateTherapy', () => {
  it('flags a draft whose ingredient is already active, across strengths and brand (SBD)', () => {
    const found = findDuplicateTherapy([item('d1', '312961', 'draft'), item('d2', '152923', 'draft')], [item('a', '198211')]);
    expect(found.map((f) => [f.draft.reference, f.active.reference, f.ingredient])).toEqual([
      ['MedicationRequest/d1', 'MedicationRequest/a', '36567'],
      ['MedicationRequest/d2', 'MedicationRequest/a', '36567'],
    ]);
  });

  it('does not flag a different ingredient of the same class (atorvastatin vs simvastatin)', () => {
    expect(findDuplicateTherapy([item('d', '617310', 'draft')], [item('a', '198211')])).toEqual([]);
  });

  it('does not flag uncoded drafts (that is the uncoded-medication check)', () => {
    expect(findDuplicateTherapy([item('d', undefined, 'draft')], [item('a', undefined)])).toEqual([]);
  });
});

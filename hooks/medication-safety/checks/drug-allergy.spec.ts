import type { FhirResource } from '../../../src/cds/cds-types.js';
import { RXNORM_SYSTEM } from '../medications.js';
import { allergyView, item } from '../testing/builders.js';
import { allergyIngredients, findAllergyConflicts, isActiveAllergy } from './drug-allergy.js';

const CLINICAL = 'http://terminology.hl7.org/CodeSystem/allergyintolerance-clinical';
const VERIFICATION = 'http://terminology.hl7.org/CodeSystem/allergyintolerance-verification';

function allergyResource(code: string, clinical?: string, verification?: string): FhirResource {
  return {
    resourceType: 'AllergyIntolerance',
    id: `allergy-${code}`,
    ...(clinical === undefined ? {} : { clinicalStatus: { coding: [{ system: CLINICAL, code: clinical }] } }),
    ...(verification === undefined ? {} : { verificationStatus: { coding: [{ system: VERIFICATION, code: verification }] } }),
    code: { coding: [{ system: RXNORM_SYSTEM, code }] },
    patient: { reference: 'Patient/pt-1' },
  };
}

const allergy = (code: string, clinical?: string, verification?: string) => allergyView(allergyResource(code, clinical, verification));

describe('isActiveAllergy', () => {
  it.each([
    ['active', undefined, true],
    ['active', 'confirmed', true],
    ['active', 'unconfirmed', true],
    [undefined, undefined, true],
    ['inactive', undefined, false],
    ['resolved', undefined, false],
    ['active', 'refuted', false],
    [undefined, 'entered-in-error', false],
  ])('clinicalStatus %s, verificationStatus %s → %s', (clinical, verification, expected) => {
    expect(isActiveAllergy(allergy('5640', clinical, verification))).toBe(expected);
  });

  it('ignores a status code of another system', () => {
    const odd = { ...allergyResource('5640'), clinicalStatus: { coding: [{ system: 'urn:other', code: 'active' }] } };
    expect(isActiveAllergy(allergyView(odd))).toBe(false);
  });
});

describe('allergyIngredients', () => {
  it('reads an ingredient code and maps a product code to its ingredient', () => {
    expect(allergyIngredients(allergy('5640'))).toEqual(['5640']);
    expect(allergyIngredients(allergy('197807'))).toEqual(['5640']);
  });

  it('ignores non-RxNorm codings (e.g. SNOMED substance codes)', () => {
    expect(allergyIngredients(allergyView({ ...allergyResource('5640'), code: { coding: [{ system: 'http://snomed.info/sct', code: '387207008' }] } }))).toEqual([]);
  });
});

describe('findAllergyConflicts', () => {
  it('flags a draft containing the allergen ingredient', () => {
    const found = findAllergyConflicts([item('d', '197807', 'draft')], [allergy('5640', 'active')]);
    expect(found.map((f) => [f.draft.reference, f.allergy.id, f.ingredient])).toEqual([['MedicationRequest/d', 'allergy-5640', '5640']]);
  });

  it('does not flag resolved allergies or other ingredients', () => {
    expect(findAllergyConflicts([item('d', '197807', 'draft')], [allergy('5640', 'resolved')])).toEqual([]);
    expect(findAllergyConflicts([item('d', '197517', 'draft')], [allergy('5640', 'active')])).toEqual([]);
  });

  it('does not extend to related drugs (no cross-reactivity: aspirin allergy vs ibuprofen)', () => {
    expect(findAllergyConflicts([item('d', '197807', 'draft')], [allergy('1191', 'active')])).toEqual([]);
  });
});

import type { FhirResource } from '../../../src/cds/cds-types.js';
import { ingredientCode } from '../knowledge/ingredients.js';
import { RXNORM_SYSTEM } from '../medications.js';
import { medicationRequest, PATIENT_ID } from '../testing/builders.js';
import { criticalInteractionRule, drugAllergyRule, MEDICATION_SAFETY_WRITE_RULES, uncodedMedicationRule } from './write-rules.js';

// DESIGN.md "Step-up override protocol": uncoded → confirm; a critical interaction or a drug–allergy match
// with the launch's data → reauthenticate. Codes as the service's fixtures use them.
const SIMVASTATIN_40 = '198211';
const CLARITHROMYCIN_500 = '197517';
const NAPROXEN = ingredientCode('naproxen');
const IBUPROFEN = ingredientCode('ibuprofen');
const WARFARIN = ingredientCode('warfarin');

const allergy = (id: string, code: string, clinical = 'active', patientId = PATIENT_ID): FhirResource => ({
  resourceType: 'AllergyIntolerance',
  id,
  clinicalStatus: { coding: [{ system: 'http://terminology.hl7.org/CodeSystem/allergyintolerance-clinical', code: clinical }] },
  code: { coding: [{ system: RXNORM_SYSTEM, code }] },
  patient: { reference: `Patient/${patientId}` },
});

const input = (resource: FhirResource, data: FhirResource[] = []) => ({ resource, patientId: PATIENT_ID, data });

describe('medication-safety write rules', () => {
  it('declares its rules with ids and levels (the host checks the operator overrides against them)', () => {
    expect(MEDICATION_SAFETY_WRITE_RULES.map((r) => [r.rule, r.level])).toEqual([
      ['uncoded-medication', 'confirm'],
      ['critical-interaction', 'reauthenticate'],
      ['drug-allergy', 'reauthenticate'],
    ]);
  });

  describe('uncoded-medication (confirm)', () => {
    it('a free-text MedicationRequest needs confirm', () => {
      expect(uncodedMedicationRule.check(input(medicationRequest('new', undefined, 'draft')))).toEqual({
        rule: 'uncoded-medication',
        level: 'confirm',
        reason: 'The order for free text new has no RxNorm code, so it was not checked for interactions, allergies or duplicates.',
        critical: false,
      });
    });

    it('a MedicationRequest coded only in another system needs confirm', () => {
      const other = { ...medicationRequest('new', undefined), medicationCodeableConcept: { coding: [{ system: 'http://snomed.info/sct', code: '108600003', display: 'Atorvastatin' }] } };
      expect(uncodedMedicationRule.check(input(other))?.level).toBe('confirm');
    });

    it('an RxNorm-coded order, an order naming no medication yet (issue 10.6) and another type need nothing', () => {
      expect(uncodedMedicationRule.check(input(medicationRequest('new', SIMVASTATIN_40)))).toBeNull();
      expect(uncodedMedicationRule.check(input({ resourceType: 'MedicationRequest', id: 'begun', status: 'draft', subject: { reference: `Patient/${PATIENT_ID}` } }))).toBeNull();
      expect(uncodedMedicationRule.check(input({ resourceType: 'Observation', id: 'o' }))).toBeNull();
    });
  });

  describe('critical-interaction (reauthenticate)', () => {
    it('clarithromycin with active simvastatin (ONC high-priority, critical) needs reauthenticate', () => {
      const found = criticalInteractionRule.check(input(medicationRequest('new', CLARITHROMYCIN_500, 'draft'), [medicationRequest('statin', SIMVASTATIN_40)]));
      expect(found).toMatchObject({ rule: 'critical-interaction', level: 'reauthenticate', critical: true });
      expect(found?.reason).toMatch(/^This order combines clarithromycin with simvastatin \(RxNorm 198211\): contraindicated, /);
    });

    it('the same pair is nothing when the statin is not active, is another patient’s, or is the written order itself', () => {
      const order = medicationRequest('new', CLARITHROMYCIN_500, 'draft');
      expect(criticalInteractionRule.check(input(order, [medicationRequest('statin', SIMVASTATIN_40, 'stopped')]))).toBeNull();
      expect(criticalInteractionRule.check(input(order, [medicationRequest('statin', SIMVASTATIN_40, 'active', 'someone-else')]))).toBeNull();
      expect(criticalInteractionRule.check(input(medicationRequest('statin', SIMVASTATIN_40), [medicationRequest('statin', CLARITHROMYCIN_500)]))).toBeNull();
    });

    it('a serious (warning) interaction, warfarin + NSAID, needs no override: only critical ones do', () => {
      expect(criticalInteractionRule.check(input(medicationRequest('new', IBUPROFEN, 'draft'), [medicationRequest('w', WARFARIN)]))).toBeNull();
    });

    it('an order for another patient than the launch’s is not compared with this patient’s data', () => {
      const order = medicationRequest('new', CLARITHROMYCIN_500, 'draft', 'someone-else');
      expect(criticalInteractionRule.check(input(order, [medicationRequest('statin', SIMVASTATIN_40)]))).toBeNull();
    });
  });

  describe('drug-allergy (reauthenticate)', () => {
    it('an order containing the substance of an active allergy needs reauthenticate', () => {
      expect(drugAllergyRule.check(input(medicationRequest('new', NAPROXEN, 'draft'), [allergy('a1', NAPROXEN)]))).toEqual({
        rule: 'drug-allergy',
        level: 'reauthenticate',
        reason: 'The patient has an active allergy to naproxen, which this order contains.',
        critical: true,
      });
    });

    it('a resolved allergy, another patient’s allergy, or no allergy need nothing', () => {
      const order = medicationRequest('new', NAPROXEN, 'draft');
      expect(drugAllergyRule.check(input(order, [allergy('a1', NAPROXEN, 'resolved')]))).toBeNull();
      expect(drugAllergyRule.check(input(order, [allergy('a1', NAPROXEN, 'active', 'someone-else')]))).toBeNull();
      expect(drugAllergyRule.check(input(order))).toBeNull();
    });
  });
});

import { ingredientsOf, rxnormCodesOf, type MedicationItem } from '../medications.js';
import type { AllergyView, ConceptView } from '../reader.js';

/** A draft order containing an ingredient the patient has an active allergy to. */
export interface AllergyFinding {
  draft: MedicationItem;
  allergy: AllergyView;
  /** RxCUI of the shared ingredient. */
  ingredient: string;
}

const CLINICAL_STATUS = 'http://terminology.hl7.org/CodeSystem/allergyintolerance-clinical';
const VERIFICATION_STATUS = 'http://terminology.hl7.org/CodeSystem/allergyintolerance-verification';

const statusCodes = (concept: ConceptView | undefined, system: string): string[] =>
  (concept?.codings ?? []).flatMap((c) => (c.system === system && c.code !== undefined ? [c.code] : []));

/**
 * Is this allergy in force? R4 AllergyIntolerance: clinicalStatus `active` counts, `inactive` and
 * `resolved` do not; a record without clinicalStatus counts (failing safe); a `refuted` or
 * `entered-in-error` verification never counts.
 */
export function isActiveAllergy(allergy: AllergyView): boolean {
  const verification = statusCodes(allergy.verificationStatus, VERIFICATION_STATUS);
  if (verification.includes('refuted') || verification.includes('entered-in-error')) return false;
  if (allergy.clinicalStatus === undefined) return true;
  return statusCodes(allergy.clinicalStatus, CLINICAL_STATUS).includes('active');
}

/** Ingredient RxCUIs of an allergy's substance (`AllergyIntolerance.code`, RxNorm ingredient or product). */
export function allergyIngredients(allergy: AllergyView): string[] {
  return ingredientsOf(rxnormCodesOf(allergy.substance));
}

/** Drug–allergy conflicts by shared ingredient between the drafts and the patient's active allergies. */
export function findAllergyConflicts(drafts: readonly MedicationItem[], allergies: readonly AllergyView[]): AllergyFinding[] {
  return allergies.filter(isActiveAllergy).flatMap((allergy) => {
    const allergens = allergyIngredients(allergy);
    return drafts.flatMap((draft) => {
      const ingredient = draft.ingredients.find((i) => allergens.includes(i));
      return ingredient === undefined ? [] : [{ draft, allergy, ingredient }];
    });
  });
}

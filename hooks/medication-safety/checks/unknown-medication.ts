import type { MedicationItem } from '../medications.js';

/**
 * Drafts coded with RxNorm that the knowledge base cannot resolve to an ingredient (a product
 * outside the demo list): nothing was checked for them, which the prescriber must not read as
 * "no problems found".
 */
export function findUnknownMedications(drafts: readonly MedicationItem[]): MedicationItem[] {
  return drafts.filter((d) => d.rxnormCodes.length > 0 && d.ingredients.length === 0);
}

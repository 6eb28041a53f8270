import type { MedicationItem } from '../medications.js';

/**
 * Drafts with no RxNorm coding (free text, another code system, or a Medication we cannot read):
 * no check can run on them, so they need the prescriber's separate authorization (DESIGN.md flow 5).
 */
export function findUncodedMedications(drafts: readonly MedicationItem[]): MedicationItem[] {
  return drafts.filter((d) => d.rxnormCodes.length === 0);
}

import type { MedicationItem } from '../medications.js';

/** A draft order for an ingredient the patient already takes. */
export interface DuplicateFinding {
  draft: MedicationItem;
  active: MedicationItem;
  /** RxCUI of the shared ingredient. */
  ingredient: string;
}

/** Duplicate therapy: a draft whose ingredient is already in an active medication (ingredient level). */
export function findDuplicateTherapy(drafts: readonly MedicationItem[], actives: readonly MedicationItem[]): DuplicateFinding[] {
  return drafts.flatMap((draft) =>
    actives.flatMap((active) => {
      const ingredient = draft.ingredients.find((i) => active.ingredients.includes(i));
      return ingredient === undefined ? [] : [{ draft, active, ingredient }];
    }),
  );
}

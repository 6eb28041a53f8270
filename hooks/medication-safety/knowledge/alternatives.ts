import { ingredientCode } from './ingredients.js';

/** A safer ingredient to propose instead of a draft that triggered a rule. */
export interface Alternative {
  /** The rule whose card offers the swap. */
  ruleId: string;
  /** Draft ingredients the swap replaces (RxCUIs). */
  replaces: readonly string[];
  /** The proposed ingredient (RxCUI and RxNorm name); the prescriber picks the product and dose. */
  rxcui: string;
  name: string;
  /** Why it is safer, with its source. */
  rationale: string;
}

/**
 * Swaps offered as "replace the draft" suggestions. An alternative is proposed only when it does
 * not itself interact with the patient's other medications (checked per call).
 */
export const ALTERNATIVES: readonly Alternative[] = [
  {
    // medication-kb.md §1 ID 11: the precipitant class lists the macrolides clarithromycin,
    // erythromycin and telithromycin; azithromycin is not a member, and the simvastatin label's
    // contraindication quoted there names those three macrolides, not azithromycin.
    ruleId: 'onc-hp-ddi-11',
    replaces: ['clarithromycin', 'erythromycin', 'telithromycin'].map(ingredientCode),
    rxcui: ingredientCode('azithromycin'),
    name: 'azithromycin',
    rationale:
      'Azithromycin is not in the CYP3A4-inhibitor class of ONC DDI #11, and the simvastatin label’s contraindication names erythromycin, clarithromycin and telithromycin, not azithromycin. Check the indication and the QT risk.',
  },
];

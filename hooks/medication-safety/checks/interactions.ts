import type { InteractionRule } from '../knowledge/interaction-rules.js';
import type { MedicationItem } from '../medications.js';

/** A rule matched between a draft order and another medication (active, or another draft). */
export interface InteractionFinding {
  rule: InteractionRule;
  draft: MedicationItem;
  other: MedicationItem;
  /** The matched ingredients (RxCUIs) and which side of the rule the draft is on. */
  draftIngredient: string;
  otherIngredient: string;
  draftRole: 'object' | 'precipitant';
}

interface IngredientMatch {
  draftIngredient: string;
  otherIngredient: string;
  draftRole: 'object' | 'precipitant';
}

/**
 * Does `rule` relate the two medications? Matching is at ingredient level and symmetric: the draft
 * may be the object or the precipitant (medication-kb.md §2 "Design"). The same ingredient on both
 * sides is duplicate therapy, not an interaction (the QT class lists its members on both sides).
 */
export function matchRule(rule: InteractionRule, draft: MedicationItem, other: MedicationItem): IngredientMatch | undefined {
  for (const d of draft.ingredients) {
    for (const o of other.ingredients) {
      if (d === o) continue;
      if (rule.object.members.includes(d) && rule.precipitant.members.includes(o)) return { draftIngredient: d, otherIngredient: o, draftRole: 'object' };
      if (rule.precipitant.members.includes(d) && rule.object.members.includes(o)) return { draftIngredient: d, otherIngredient: o, draftRole: 'precipitant' };
    }
  }
  return undefined;
}

/**
 * Interactions of the focused drafts with the active medications and with the other drafts of the
 * call (each pair of drafts once). `focus` holds draft references (order-select `selections`).
 */
export function findInteractions(
  rules: readonly InteractionRule[],
  drafts: readonly MedicationItem[],
  actives: readonly MedicationItem[],
  focus: ReadonlySet<string>,
): InteractionFinding[] {
  const pairs: [MedicationItem, MedicationItem][] = [];
  drafts.forEach((draft, i) => {
    if (!focus.has(draft.reference)) return;
    for (const active of actives) pairs.push([draft, active]);
    drafts.forEach((other, j) => {
      // A pair of two focused drafts is visited from the first of them only.
      if (j !== i && !(focus.has(other.reference) && j < i)) pairs.push([draft, other]);
    });
  });
  return pairs.flatMap(([draft, other]) =>
    rules.flatMap((rule) => {
      const match = matchRule(rule, draft, other);
      return match === undefined ? [] : [{ rule, draft, other, ...match }];
    }),
  );
}

import type { Card, Link, Suggestion } from '../../../src/cds/cds-types.js';
import type { AllergyFinding } from '../checks/drug-allergy.js';
import type { DuplicateFinding } from '../checks/duplicate-therapy.js';
import type { InteractionFinding } from '../checks/interactions.js';
import type { Alternative } from '../knowledge/alternatives.js';
import { ingredientByCode } from '../knowledge/ingredients.js';
import { OVERRIDE_REASONS } from '../knowledge/override-reasons.js';
import type { Citation } from '../knowledge/sources.js';
import type { MedicationItem } from '../medications.js';
import type { AllergyView } from '../reader.js';
import { blocks, bulletList, capitalize, escapeMarkdown } from './markdown.js';
import { removeDraft, replaceDraft, stopOther } from './suggestions.js';

/** Client id of the companion SMART app the cards launch (DESIGN.md: `medication-review`). */
export const MEDICATION_REVIEW_APP = 'medication-review';

/** Code system of `Card.source.topic`: which rule produced the card. */
export const RULE_TOPIC_SYSTEM = 'http://hookwarden.dev/CodeSystem/medication-safety-rule';

/** Citations of the service's own rules (allergy, duplicate therapy, unknown and uncoded orders). */
export const RULE_CITATIONS = {
  allergy: {
    label: 'Hookwarden medication safety: drug–allergy check',
    url: 'https://hl7.org/fhir/R4/allergyintolerance.html',
    text: 'Ingredient-level match of RxNorm-coded orders against the patient’s AllergyIntolerance records (FHIR R4 AllergyIntolerance, clinicalStatus and verificationStatus).',
  },
  duplicate: {
    label: 'Hookwarden medication safety: duplicate therapy check',
    url: 'https://hl7.org/fhir/R4/medicationrequest.html',
    text: 'Ingredient-level match of RxNorm-coded orders against the patient’s active MedicationRequests and MedicationStatements.',
  },
  unknown: {
    label: 'Hookwarden medication safety: knowledge-base coverage',
    url: 'https://www.nlm.nih.gov/research/umls/rxnorm/',
    text: 'The knowledge base maps a demo set of RxNorm products and the ingredients of its rules; other products are not checked.',
  },
  uncoded: {
    label: 'Hookwarden medication safety: uncoded medication',
    url: 'https://www.nlm.nih.gov/research/umls/rxnorm/',
    text: 'Orders are checked through their RxNorm codes; an order without one cannot be checked.',
  },
} as const satisfies Record<string, Citation>;

const ingredientName = (rxcui: string): string => ingredientByCode(rxcui)?.name ?? `RxCUI ${rxcui}`;

const describeMedication = (m: MedicationItem): string =>
  `${escapeMarkdown(m.label)} (${escapeMarkdown(m.reference)}, ${m.origin === 'draft' ? 'draft order' : 'active medication'})`;

/**
 * Links of every card: the companion app (host-only `app`: the host swaps `url` for a signed
 * click-through launch, DESIGN.md flow 2) and the reference itself.
 */
function cardLinks(citation: Citation): Link[] {
  return [
    { label: 'Review medications in Medication Review', url: citation.url, type: 'absolute', app: MEDICATION_REVIEW_APP },
    { label: `Reference: ${citation.label}`, url: citation.fullTextUrl ?? citation.url, type: 'absolute' },
  ];
}

const sourceOf = (citation: Citation, code: string, display: string): Card['source'] => ({
  label: citation.label,
  url: citation.url,
  topic: { system: RULE_TOPIC_SYSTEM, code, display },
});

const sourceLine = (citation: Citation): string => `**Source:** ${citation.text} ${citation.url}`;

/** The offered suggestions, one to be chosen (§Card selectionBehavior, cds-resp-6); nothing when none applies. */
function withSuggestions(candidates: (Suggestion | undefined)[]): Pick<Card, 'suggestions' | 'selectionBehavior'> {
  const suggestions = candidates.filter((s): s is Suggestion => s !== undefined);
  return suggestions.length === 0 ? {} : { suggestions, selectionBehavior: 'at-most-one' };
}

/** The card for a drug–drug interaction; `alternative` is offered only when the caller found it safe. */
export function interactionCard(f: InteractionFinding, patientId: string, alternative?: Alternative): Card {
  const { rule } = f;
  const draftName = ingredientName(f.draftIngredient);
  const otherName = ingredientName(f.otherIngredient);
  const objectSide = f.draftRole === 'object' ? draftName : otherName;
  const precipitantSide = f.draftRole === 'object' ? otherName : draftName;
  const detail = blocks(
    bulletList([`**Draft order:** ${describeMedication(f.draft)}`, `**Interacts with:** ${describeMedication(f.other)}`]),
    `**Why:** ${rule.consequence}`,
    `**Evidence:** ${rule.evidence}`,
    `**Rule:** ${rule.label}: ${rule.object.label} (object: ${objectSide}) + ${rule.precipitant.label} (precipitant: ${precipitantSide}), matched on ingredients ${draftName} (RxCUI ${f.draftIngredient}) and ${otherName} (RxCUI ${f.otherIngredient}).`,
    bulletList(rule.caveats),
    alternative === undefined ? '' : `**Alternative:** ${alternative.rationale}`,
    sourceLine(rule.citation),
  );
  const suggestions = withSuggestions([
    alternative === undefined ? undefined : replaceDraft(f.draft, alternative, patientId),
    removeDraft(f.draft),
    stopOther(f.other),
  ]);
  const reasons = rule.onc
    ? [OVERRIDE_REASONS.benefitOutweighsRisk, OVERRIDE_REASONS.otherStopped, OVERRIDE_REASONS.willMonitor]
    : [OVERRIDE_REASONS.benefitOutweighsRisk, OVERRIDE_REASONS.willMonitor, OVERRIDE_REASONS.toleratedPreviously];
  return {
    summary: `${capitalize(draftName)} + ${otherName}: ${rule.severity}, ${rule.risk} (${rule.label})`,
    detail,
    indicator: rule.indicator,
    rule: rule.id,
    source: sourceOf(rule.citation, rule.id, rule.label),
    ...suggestions,
    overrideReasons: reasons,
    links: cardLinks(rule.citation),
  };
}

const allergySubstance = (allergy: AllergyView): string =>
  allergy.substance?.text || allergy.substance?.codings.find((c) => c.display)?.display || 'a recorded substance';

/** The card for a draft containing an ingredient of an active allergy. */
export function allergyCard(f: AllergyFinding): Card {
  const name = ingredientName(f.ingredient);
  const citation = RULE_CITATIONS.allergy;
  const detail = blocks(
    bulletList([
      `**Draft order:** ${describeMedication(f.draft)}`,
      `**Allergy:** ${escapeMarkdown(allergySubstance(f.allergy))} (${escapeMarkdown(`AllergyIntolerance/${f.allergy.id ?? ''}`)}), clinical status active`,
    ]),
    `**Why:** the order contains ${name} (RxCUI ${f.ingredient}), the substance of an active allergy record.`,
    'Cross-reactivity between related drugs is not evaluated: only the same ingredient is matched.',
    sourceLine(citation),
  );
  return {
    summary: `Allergy: patient has an active allergy to ${name}, which this order contains`,
    detail,
    indicator: 'critical',
    rule: 'drug-allergy',
    source: sourceOf(citation, 'drug-allergy', 'Drug–allergy (ingredient)'),
    ...withSuggestions([removeDraft(f.draft)]),
    overrideReasons: [OVERRIDE_REASONS.allergyRecordInaccurate, OVERRIDE_REASONS.toleratedAllergen, OVERRIDE_REASONS.benefitOutweighsRisk],
    links: cardLinks(citation),
  };
}

/** The card for a draft of an ingredient the patient already takes. */
export function duplicateCard(f: DuplicateFinding): Card {
  const name = ingredientName(f.ingredient);
  const citation = RULE_CITATIONS.duplicate;
  const detail = blocks(
    bulletList([`**Draft order:** ${describeMedication(f.draft)}`, `**Already active:** ${describeMedication(f.active)}`]),
    `**Why:** both contain ${name} (RxCUI ${f.ingredient}); taking both may double the dose. If this is a dose change, stop the active medication.`,
    sourceLine(citation),
  );
  return {
    summary: `Duplicate therapy: ${name} is already an active medication`,
    detail,
    indicator: 'warning',
    rule: 'duplicate-therapy',
    source: sourceOf(citation, 'duplicate-therapy', 'Duplicate therapy (ingredient)'),
    ...withSuggestions([removeDraft(f.draft), stopOther(f.active)]),
    overrideReasons: [OVERRIDE_REASONS.intendedDuplicate, OVERRIDE_REASONS.benefitOutweighsRisk],
    links: cardLinks(citation),
  };
}

/** The card for a draft without RxNorm coding: unchecked, so it needs separate authorization (DESIGN.md flow 5). */
export function uncodedCard(draft: MedicationItem): Card {
  const citation = RULE_CITATIONS.uncoded;
  const detail = blocks(
    `**Draft order:** ${describeMedication(draft)}`,
    '**Why:** the order has no RxNorm code, so no interaction, allergy or duplicate check could run on it.',
    'Signing it needs the prescriber’s separate authorization: open Medication Review, confirm the medication, and authorize it there (or replace it with a coded order).',
    sourceLine(citation),
  );
  return {
    summary: 'Uncoded medication: not checked for safety; needs the prescriber’s separate authorization',
    detail,
    indicator: 'critical',
    rule: 'uncoded-medication',
    source: sourceOf(citation, 'uncoded-medication', 'Uncoded medication order'),
    ...withSuggestions([removeDraft(draft)]),
    overrideReasons: [OVERRIDE_REASONS.authorizeSeparately],
    links: cardLinks(citation),
  };
}

/** The card for an RxNorm-coded draft the knowledge base cannot resolve: not checked, and it says so. */
export function unknownMedicationCard(draft: MedicationItem): Card {
  const citation = RULE_CITATIONS.unknown;
  const detail = blocks(
    `**Draft order:** ${describeMedication(draft)}, RxNorm ${escapeMarkdown(draft.rxnormCodes.join(', '))}`,
    '**Why:** this product is not in the medication-safety knowledge base, so no interaction, allergy or duplicate check ran on it. Review it yourself.',
    sourceLine(citation),
  );
  return {
    summary: 'Not checked: a draft medication is not in the medication-safety knowledge base',
    detail,
    indicator: 'info',
    rule: 'unknown-medication',
    source: sourceOf(citation, 'unknown-medication', 'Medication outside the knowledge base'),
    links: cardLinks(citation),
  };
}

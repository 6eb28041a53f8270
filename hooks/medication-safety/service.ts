import type { Card, CdsRequest, CdsResponse, EvaluationData, HookName, PrefetchSpec, ServiceApp, ServiceDefinition } from '../../src/cds/cds-types.js';
import { allergyCard, dataGapCard, duplicateCard, interactionCard, MEDICATION_REVIEW_APP, uncodedCard, unknownMedicationCard, type DataGap } from './cards/cards.js';
import { findAllergyConflicts } from './checks/drug-allergy.js';
import { findDuplicateTherapy } from './checks/duplicate-therapy.js';
import { findInteractions, type InteractionFinding } from './checks/interactions.js';
import { findUncodedMedications } from './checks/uncoded-medication.js';
import { findUnknownMedications } from './checks/unknown-medication.js';
import { ALTERNATIVES, type Alternative } from './knowledge/alternatives.js';
import { INTERACTION_RULES } from './knowledge/interaction-rules.js';
import {
  activeMedications,
  draftMedicationOrders,
  isPrefetchGap,
  patientResources,
  RXNORM_SYSTEM,
  toMedicationItem,
  type MedicationItem,
} from './medications.js';

/**
 * Prefetch (CDS Hooks 2.0 §Prefetch Template: `{{context.patientId}}` only). The active
 * MedicationRequests and the allergies are `required`: without them a "no cards" answer would
 * read as "checked, nothing found", the unsafe failure, so the host answers 412 when it cannot get
 * them. MedicationStatements (patient-reported meds) and the Patient are optional: a call without
 * them degrades, and a statement search that failed is named on a data-gap card. The checks do not
 * read the Patient; the prefetch contract lists it.
 */
export const MEDICATION_SAFETY_PREFETCH: Record<string, PrefetchSpec> = {
  medicationRequests: { template: 'MedicationRequest?patient={{context.patientId}}&status=active', required: true },
  medicationStatements: { template: 'MedicationStatement?patient={{context.patientId}}&status=active' },
  allergyIntolerances: { template: 'AllergyIntolerance?patient={{context.patientId}}', required: true },
  patient: { template: 'Patient/{{context.patientId}}' },
};

/** Least SMART v2 scopes: read+search the data the checks compare; the EHR applies suggestions itself. */
export const MEDICATION_SAFETY_SCOPES = [
  'patient/MedicationRequest.rs',
  'patient/MedicationStatement.rs',
  'patient/AllergyIntolerance.rs',
  'patient/Patient.r',
];

/**
 * The companion app the cards launch (./app): it lists the patient's orders, reported medications and
 * allergies, and may write the MedicationRequests the clinician changes there.
 */
const MEDICATION_REVIEW: ServiceApp = {
  clientId: MEDICATION_REVIEW_APP,
  name: 'Medication Review',
  scope: 'launch openid fhirUser patient/Patient.rs patient/MedicationRequest.cruds patient/MedicationStatement.rs patient/AllergyIntolerance.rs patient/Medication.rs',
  writableTypes: ['MedicationRequest'],
  files: new URL('./app/', import.meta.url),
  launchPath: 'launch.html',
  redirectPath: 'index.html',
  autoApprove: true,
};

const GAP_LABELS: Record<string, string> = {
  medicationRequests: 'active medication orders',
  medicationStatements: 'medication statements',
  allergyIntolerances: 'allergies',
};

const INDICATOR_RANK: Record<Card['indicator'], number> = { critical: 0, warning: 1, info: 2 };

/** The first alternative for this finding that does not itself interact with the patient's other medications. */
function safeAlternative(f: InteractionFinding, others: readonly MedicationItem[], patientId: string): Alternative | undefined {
  return ALTERNATIVES.find((alt) => {
    if (alt.ruleId !== f.rule.id || !alt.replaces.includes(f.draftIngredient)) return false;
    const candidate = toMedicationItem(
      { resourceType: 'MedicationRequest', id: 'alternative', medicationCodeableConcept: { coding: [{ system: RXNORM_SYSTEM, code: alt.rxcui }] }, subject: { reference: `Patient/${patientId}` } },
      'draft',
    );
    const rest = others.filter((o) => o.reference !== f.draft.reference);
    return findInteractions(INTERACTION_RULES, [candidate], rest, new Set([candidate.reference])).length === 0;
  });
}

/**
 * The medication-safety checks for one call (pure: no I/O, no clock): uncoded drafts, drug–allergy,
 * drug–drug interactions (ONC high-priority + warfarin–NSAID), duplicate therapy, drafts outside the
 * knowledge base, and a card naming any patient data the client could not supply. Critical first.
 */
export function evaluateMedicationSafety(request: CdsRequest, data: EvaluationData): CdsResponse {
  const { patientId } = request.context;
  const { prefetch } = data;
  const { drafts, focus } = draftMedicationOrders(request);
  const focused = drafts.filter((d) => focus.has(d.reference));
  const actives = activeMedications(prefetch['medicationRequests'], prefetch['medicationStatements'], patientId);
  const allergies = patientResources(prefetch['allergyIntolerances'], 'AllergyIntolerance', patientId);
  const gaps: DataGap[] = Object.entries(GAP_LABELS).flatMap(([key, what]) =>
    isPrefetchGap(prefetch[key]) ? [{ key, what, required: MEDICATION_SAFETY_PREFETCH[key]?.required === true }] : [],
  );

  const cards: Card[] = [
    ...findUncodedMedications(focused).map(uncodedCard),
    ...findAllergyConflicts(focused, allergies).map(allergyCard),
    ...findInteractions(INTERACTION_RULES, drafts, actives, focus).map((f) =>
      interactionCard(f, patientId, safeAlternative(f, [...actives, ...drafts], patientId)),
    ),
    ...findDuplicateTherapy(focused, actives).map(duplicateCard),
    ...findUnknownMedications(focused).map(unknownMedicationCard),
    ...(gaps.length > 0 ? [dataGapCard(gaps)] : []),
  ];
  return { cards: cards.map(withLaunchContext).sort((a, b) => INDICATOR_RANK[a.indicator] - INDICATOR_RANK[b.indicator]) };
}

/**
 * The companion app opens on why it was launched: the card's summary travels as the launch's
 * `appContext` (returned in the token response, CDS Hooks §Link), never in a URL.
 */
function withLaunchContext(card: Card): Card {
  return { ...card, links: card.links?.map((link) => (link.app === undefined ? link : { ...link, appContext: card.summary })) };
}

const USAGE =
  'Send draft MedicationRequests coded with RxNorm (SCD, SBD or ingredient). Requires the active-MedicationRequest and ' +
  'AllergyIntolerance prefetch (or a fhirServer with a token); answers 412 without them.';

const definition = (id: string, hook: HookName, title: string, when: string): ServiceDefinition => ({
  id,
  hook,
  title,
  description:
    `${when}: checks draft medication orders against the patient's active medications, allergies and each other ` +
    '(ONC high-priority drug–drug interactions, warfarin + NSAID, drug–allergy, duplicate therapy, uncoded orders).',
  usageRequirements: USAGE,
  prefetch: MEDICATION_SAFETY_PREFETCH,
  scopes: MEDICATION_SAFETY_SCOPES,
  app: MEDICATION_REVIEW,
  evaluate: evaluateMedicationSafety,
});

/** One knowledge base on three hooks, one service id per hook. */
export const medicationSafetyServices: ServiceDefinition[] = [
  definition('medication-safety-order-select', 'order-select', 'Medication safety (order select)', 'When orders are selected'),
  definition('medication-safety-order-sign', 'order-sign', 'Medication safety (order sign)', 'Before orders are signed'),
  definition('medication-safety-prescribe', 'medication-prescribe', 'Medication safety (medication-prescribe, legacy)', 'When a medication is prescribed'),
];

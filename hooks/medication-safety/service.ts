import type { Card, CdsRequest, CdsResponse, EvaluationData, HookName, PrefetchSpec, ServiceApp, ServiceDefinition } from '../../src/cds/cds-types.js';
import { allergyCard, duplicateCard, interactionCard, MEDICATION_REVIEW_APP, uncodedCard, unknownMedicationCard } from './cards/cards.js';
import { notPerformedCard } from './cards/not-performed.js';
import { findAllergyConflicts } from './checks/drug-allergy.js';
import { findDuplicateTherapy } from './checks/duplicate-therapy.js';
import { findInteractions, type InteractionFinding } from './checks/interactions.js';
import { findUncodedMedications } from './checks/uncoded-medication.js';
import { findUnknownMedications } from './checks/unknown-medication.js';
import { ALTERNATIVES, type Alternative } from './knowledge/alternatives.js';
import { INTERACTION_RULES } from './knowledge/interaction-rules.js';
import { draftMedicationOrders, ingredientsOf, RXNORM_SYSTEM, type MedicationItem } from './medications.js';
import { readPatientData } from './patient-data.js';
import { readableAs, readAllergy, readMedication } from './reader.js';
import { MEDICATION_SAFETY_WRITE_RULES } from './rules/write-rules.js';

/**
 * Prefetch (CDS Hooks 2.0 §Prefetch Template: `{{context.patientId}}` only). No key is `essential`: the
 * draft orders can always be checked against each other, so a call without some patient data still runs
 * every check the rest allows and adds one warning card naming the checks it could not perform, and this
 * service never answers 412. Each key's `readable` is the service's reader (reader.ts), so the host drops
 * and counts what the checks could not read. The checks do not read the Patient; it is
 * prefetched for the companion app's launch snapshot.
 */
export const MEDICATION_SAFETY_PREFETCH: Record<string, PrefetchSpec> = {
  medicationRequests: { template: 'MedicationRequest?patient={{context.patientId}}&status=active', readable: readableAs('MedicationRequest', readMedication) },
  medicationStatements: { template: 'MedicationStatement?patient={{context.patientId}}&status=active', readable: readableAs('MedicationStatement', readMedication) },
  allergyIntolerances: { template: 'AllergyIntolerance?patient={{context.patientId}}', readable: readableAs('AllergyIntolerance', readAllergy) },
  patient: { template: 'Patient/{{context.patientId}}' },
};

/**
 * Least SMART v2 scopes: read+search the data the checks compare (the EHR applies suggestions itself), and,
 * as the ceiling of the companion app its cards launch (the user's delegated rights still bound it), create
 * and update of the MedicationRequests the clinician keeps or replaces there, and read of what /fhir records
 * about an override (Provenance, DetectedIssue).
 */
export const MEDICATION_SAFETY_SCOPES = [
  'patient/MedicationRequest.rs',
  'patient/MedicationStatement.rs',
  'patient/AllergyIntolerance.rs',
  'patient/Patient.r',
  'patient/MedicationRequest.cu',
  'patient/Provenance.rs',
  'patient/DetectedIssue.rs',
];

/**
 * The companion app the cards launch (./app): it lists the patient's orders, reported medications and
 * allergies, and may write the MedicationRequests the clinician changes there.
 */
const MEDICATION_REVIEW: ServiceApp = {
  clientId: MEDICATION_REVIEW_APP,
  name: 'Medication Review',
  scope:
    'launch openid fhirUser patient/Patient.rs patient/MedicationRequest.cruds patient/MedicationStatement.rs patient/AllergyIntolerance.rs patient/Medication.rs ' +
    'patient/Provenance.rs patient/DetectedIssue.rs',
  writableTypes: ['MedicationRequest'],
  files: new URL('./app/', import.meta.url),
  launchPath: 'launch.html',
  redirectPath: 'index.html',
  autoApprove: true,
};

const INDICATOR_RANK: Record<Card['indicator'], number> = { critical: 0, warning: 1, info: 2 };

/** The first alternative for this finding that does not itself interact with the patient's other medications. */
function safeAlternative(f: InteractionFinding, others: readonly MedicationItem[], patientId: string): Alternative | undefined {
  return ALTERNATIVES.find((alt) => {
    if (alt.ruleId !== f.rule.id || !alt.replaces.includes(f.draftIngredient)) return false;
    const candidate: MedicationItem = {
      reference: 'MedicationRequest/alternative',
      resource: { resourceType: 'MedicationRequest', medicationCodeableConcept: { coding: [{ system: RXNORM_SYSTEM, code: alt.rxcui }] }, subject: { reference: `Patient/${patientId}` } },
      origin: 'draft',
      label: alt.name,
      rxnormCodes: [alt.rxcui],
      ingredients: ingredientsOf([alt.rxcui]),
    };
    const rest = others.filter((o) => o.reference !== f.draft.reference);
    return findInteractions(INTERACTION_RULES, [candidate], rest, new Set([candidate.reference])).length === 0;
  });
}

/**
 * The medication-safety checks for one call (pure: no I/O, no clock): uncoded drafts, drug–allergy,
 * drug–drug interactions (ONC high-priority + warfarin–NSAID), duplicate therapy, drafts outside the
 * knowledge base, each on the data that arrived, and one card naming every check that data did not
 * allow (issue 10.5). Critical first.
 */
export function evaluateMedicationSafety(request: CdsRequest, data: EvaluationData): CdsResponse {
  const { patientId } = request.context;
  const orders = draftMedicationOrders(request);
  const focused = orders.drafts.filter((d) => orders.focus.has(d.reference));
  const { actives, allergies, gaps } = readPatientData(data, patientId);
  // With no draft to check (e.g. only an order just begun, issue 10.6), missing patient data changes no answer: no card.
  const notPerformed = focused.length > 0 || orders.gaps.length > 0 ? notPerformedCard([...orders.gaps, ...gaps]) : undefined;

  const cards: Card[] = [
    ...findUncodedMedications(focused).map(uncodedCard),
    ...findAllergyConflicts(focused, allergies).map(allergyCard),
    ...findInteractions(INTERACTION_RULES, orders.drafts, actives, orders.focus).map((f) =>
      interactionCard(f, patientId, safeAlternative(f, [...actives, ...orders.drafts], patientId)),
    ),
    ...findDuplicateTherapy(focused, actives).map(duplicateCard),
    ...findUnknownMedications(focused).map(unknownMedicationCard),
    ...(notPerformed === undefined ? [] : [notPerformed]),
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
  'Send draft MedicationRequests coded with RxNorm (SCD, SBD or ingredient). Compares them with the active MedicationRequests, ' +
  'MedicationStatements and AllergyIntolerances from prefetch, or fetched with a fhirServer and token. Never answers 412: ' +
  'without some of that data it runs every check it still can and adds one warning card naming each check it could not ' +
  'perform and why. A draft with no medication yet is not checked.';

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
  configKey: 'medication-safety',
  writeRules: [...MEDICATION_SAFETY_WRITE_RULES],
  evaluate: evaluateMedicationSafety,
});

/** One knowledge base on three hooks, one service id per hook. */
export const medicationSafetyServices: ServiceDefinition[] = [
  definition('medication-safety-order-select', 'order-select', 'Medication safety (order select)', 'When orders are selected'),
  definition('medication-safety-order-sign', 'order-sign', 'Medication safety (order sign)', 'Before orders are signed'),
  definition('medication-safety-prescribe', 'medication-prescribe', 'Medication safety (medication-prescribe, legacy)', 'When a medication is prescribed'),
];

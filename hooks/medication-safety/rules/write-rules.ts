import type { FhirResource, WriteRule, WriteRuleFinding, WriteRuleInput } from '../../../src/cds/cds-types.js';
import { findAllergyConflicts } from '../checks/drug-allergy.js';
import { findInteractions } from '../checks/interactions.js';
import { findUncodedMedications } from '../checks/uncoded-medication.js';
import { ingredientByCode } from '../knowledge/ingredients.js';
import { INTERACTION_RULES } from '../knowledge/interaction-rules.js';
import { refersToPatient, toMedicationItem, type MedicationItem } from '../medications.js';
import { readPatientData, type PatientData } from '../patient-data.js';
import { readMedication } from '../reader.js';

/*
 * The medication-safety write rules (DESIGN.md "Step-up override protocol"): what an app launched from
 * this service's cards may not write through /fhir without the clinician's separate authorization. They
 * run the service's own readers and checks over the written MedicationRequest and the launch's data, so a
 * write is refused for exactly what a hook call would have carded.
 */

/** Rule ids (also the `code` of the OperationOutcome issue's `rule` and of the Provenance reason). */
export const WRITE_RULE_IDS = {
  uncoded: 'uncoded-medication',
  interaction: 'critical-interaction',
  allergy: 'drug-allergy',
} as const;

/** What the checks compare an order with (the hook's prefetch types). */
const PATIENT_DATA_TYPES = ['MedicationRequest', 'MedicationStatement', 'AllergyIntolerance'];

const ingredientName = (rxcui: string): string => ingredientByCode(rxcui)?.name ?? `RxCUI ${rxcui}`;

/** The written MedicationRequest as the checks read it; undefined for another type or one that names no medication yet (issue 10.6). */
function writtenOrder(resource: FhirResource): MedicationItem | undefined {
  const view = readMedication(resource);
  if (view === undefined || resource.resourceType !== 'MedicationRequest' || view.medication.kind === 'none') return undefined;
  return { ...toMedicationItem(view, 'draft'), reference: `MedicationRequest/${view.id ?? 'new'}` };
}

const searchset = (resources: readonly FhirResource[], type: string): FhirResource => ({
  resourceType: 'Bundle',
  type: 'searchset',
  entry: resources.filter((r) => r.resourceType === type).map((resource) => ({ resource })),
});

/**
 * The launch's data as the hook's prefetch keys, read by the service's own reader: the same active
 * medications and allergies a hook call would have compared, of the launch's patient only.
 */
export function launchPatientData(input: WriteRuleInput): PatientData {
  const others = input.data.filter((r) => !(r.resourceType === input.resource.resourceType && r.id !== undefined && r.id === input.resource.id));
  return readPatientData(
    {
      prefetch: {
        medicationRequests: searchset(others, 'MedicationRequest'),
        medicationStatements: searchset(others, 'MedicationStatement'),
        allergyIntolerances: searchset(others, 'AllergyIntolerance'),
      },
      unavailable: [],
      effectiveScopes: [],
    },
    input.patientId ?? '',
  );
}

/** The order must be about the launch's patient for the patient's data to say anything about it. */
function orderOfPatient(input: WriteRuleInput): MedicationItem | undefined {
  const order = writtenOrder(input.resource);
  if (order === undefined || input.patientId === undefined) return order;
  const view = readMedication(input.resource);
  return view?.subject === undefined || refersToPatient(view.subject, input.patientId) ? order : undefined;
}

/** An uncoded MedicationRequest (no RxNorm coding): no check can run on it, so the prescriber confirms it. */
export const uncodedMedicationRule: WriteRule = {
  rule: WRITE_RULE_IDS.uncoded,
  level: 'confirm',
  reads: [],
  check(input): WriteRuleFinding | null {
    const order = writtenOrder(input.resource);
    if (order === undefined || findUncodedMedications([order]).length === 0) return null;
    return {
      rule: WRITE_RULE_IDS.uncoded,
      level: 'confirm',
      reason: `The order for ${order.label} has no RxNorm code, so it was not checked for interactions, allergies or duplicates.`,
      critical: false,
    };
  },
};

/** A MedicationRequest that completes a critical interaction (the ONC high-priority list's) with an active medication. */
export const criticalInteractionRule: WriteRule = {
  rule: WRITE_RULE_IDS.interaction,
  level: 'reauthenticate',
  reads: PATIENT_DATA_TYPES,
  check(input): WriteRuleFinding | null {
    const order = orderOfPatient(input);
    if (order === undefined) return null;
    const { actives } = launchPatientData(input);
    const critical = findInteractions(INTERACTION_RULES, [order], actives, new Set([order.reference])).filter((f) => f.rule.indicator === 'critical');
    if (critical.length === 0) return null;
    const pairs = critical.map((f) => `${ingredientName(f.draftIngredient)} with ${ingredientName(f.otherIngredient)} (${f.other.label}): ${f.rule.severity}, ${f.rule.risk}`);
    return { rule: WRITE_RULE_IDS.interaction, level: 'reauthenticate', reason: `This order combines ${pairs.join('; ')}.`, critical: true };
  },
};

/** A MedicationRequest containing an ingredient of one of the patient's active allergies. */
export const drugAllergyRule: WriteRule = {
  rule: WRITE_RULE_IDS.allergy,
  level: 'reauthenticate',
  reads: PATIENT_DATA_TYPES,
  check(input): WriteRuleFinding | null {
    const order = orderOfPatient(input);
    if (order === undefined) return null;
    const conflicts = findAllergyConflicts([order], launchPatientData(input).allergies);
    if (conflicts.length === 0) return null;
    const names = [...new Set(conflicts.map((c) => ingredientName(c.ingredient)))];
    return {
      rule: WRITE_RULE_IDS.allergy,
      level: 'reauthenticate',
      reason: `The patient has an active allergy to ${names.join(', ')}, which this order contains.`,
      critical: true,
    };
  },
};

/** Every write rule of the service, in the order their issues are listed. */
export const MEDICATION_SAFETY_WRITE_RULES: readonly WriteRule[] = [uncodedMedicationRule, criticalInteractionRule, drugAllergyRule];

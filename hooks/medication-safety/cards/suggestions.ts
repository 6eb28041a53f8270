import type { FhirResource, Suggestion } from '../../../src/cds/cds-types.js';
import type { Alternative } from '../knowledge/alternatives.js';
import { RXNORM_SYSTEM, type MedicationItem } from '../medications.js';

// FHIR R4 §2.24.0.1 id: an action can only point at a resource with a valid id (cds-resp-2).
const FHIR_ID = /^[A-Za-z0-9\-.]{1,64}$/;
const hasFhirId = (m: MedicationItem): boolean => typeof m.resource.id === 'string' && FHIR_ID.test(m.resource.id);

/** "Remove the draft order": §Action delete by `resourceId` (cds-resp-2); none for a draft without a valid id. */
export function removeDraft(draft: MedicationItem): Suggestion | undefined {
  if (!hasFhirId(draft)) return undefined;
  return {
    label: `Remove the draft order for ${draft.label}`,
    actions: [{ type: 'delete', description: `Remove the draft order ${draft.reference}.`, resourceId: draft.reference }],
  };
}

/**
 * "Replace the draft": delete it and create a draft MedicationRequest for the alternative
 * ingredient, keeping the draft's patient, intent, requester and encounter.
 */
export function replaceDraft(draft: MedicationItem, alternative: Alternative, patientId: string): Suggestion | undefined {
  if (!hasFhirId(draft)) return undefined;
  const carried = Object.fromEntries(['requester', 'encounter'].flatMap((k) => (draft.resource[k] === undefined ? [] : [[k, draft.resource[k]]])));
  const resource: FhirResource = {
    resourceType: 'MedicationRequest',
    status: 'draft',
    intent: typeof draft.resource['intent'] === 'string' ? draft.resource['intent'] : 'order',
    subject: { reference: `Patient/${patientId}` },
    ...carried,
    medicationCodeableConcept: { coding: [{ system: RXNORM_SYSTEM, code: alternative.rxcui, display: alternative.name }], text: alternative.name },
    note: [{ text: alternative.rationale }],
  };
  return {
    label: `Replace ${draft.label} with ${alternative.name}`,
    actions: [
      { type: 'delete', description: `Remove the draft order ${draft.reference}.`, resourceId: draft.reference },
      { type: 'create', description: `Create a draft order for ${alternative.name} (choose product and dose).`, resource },
    ],
  };
}

/**
 * "Stop the other medication": §Action update with the whole updated resource. Offered for an
 * active MedicationRequest (status → stopped) and for another draft (removed); a MedicationStatement
 * records what the patient reports and is not the prescriber's to stop here.
 */
export function stopOther(other: MedicationItem): Suggestion | undefined {
  if (other.origin === 'draft') return removeDraft(other);
  if (other.resource.resourceType !== 'MedicationRequest' || !hasFhirId(other)) return undefined;
  return {
    label: `Stop the active ${other.label}`,
    actions: [
      { type: 'update', description: `Set ${other.reference} to status stopped.`, resource: { ...other.resource, status: 'stopped' } },
    ],
  };
}

import type { FhirResource } from '../../../src/cds/cds-types.js';
import { RXNORM_SYSTEM, toMedicationItem, type MedicationItem } from '../medications.js';
import { readAllergy, readMedication, type AllergyView } from '../reader.js';

/** Test helper: the patient every built resource belongs to. */
export const PATIENT_ID = 'pt-1';

/** Test helper: a MedicationRequest coded with one RxNorm code (or text only when `code` is undefined). */
export function medicationRequest(id: string, code: string | undefined, status = 'active', patientId = PATIENT_ID): FhirResource {
  return {
    resourceType: 'MedicationRequest',
    id,
    status,
    intent: 'order',
    subject: { reference: `Patient/${patientId}` },
    medicationCodeableConcept: code === undefined ? { text: `free text ${id}` } : { coding: [{ system: RXNORM_SYSTEM, code, display: `RxNorm ${code}` }] },
  };
}

/** Test helper: the item the checks compare, read from a resource that must be readable. */
export function toItem(resource: FhirResource, origin: MedicationItem['origin'] = 'active'): MedicationItem {
  const view = readMedication(resource);
  if (view === undefined) throw new Error(`test resource ${resource.resourceType}/${resource.id} is not readable`);
  return toMedicationItem(view, origin);
}

/** Test helper: a draft or active medication item for one RxNorm code. */
export function item(id: string, code: string | undefined, origin: MedicationItem['origin'] = 'active'): MedicationItem {
  return toItem(medicationRequest(id, code, origin === 'draft' ? 'draft' : 'active'), origin);
}

/** Test helper: an AllergyView read from a resource that must be readable. */
export function allergyView(resource: FhirResource): AllergyView {
  const view = readAllergy(resource);
  if (view === undefined) throw new Error(`test resource AllergyIntolerance/${resource.id} is not readable`);
  return view;
}

/** Test helper: a searchset Bundle of resources. */
export function searchset(resources: FhirResource[]): FhirResource {
  return { resourceType: 'Bundle', type: 'searchset', entry: resources.map((resource) => ({ resource })) };
}

import { PATIENT_COMPARTMENT, SEARCH_PARAM_PATHS } from './data/fhir-r4.generated.js';
import { evaluatePath } from './fhirpath.js';
import { localReference } from './reference.js';
import type { FhirResource } from './types.js';

/**
 * True when `resource` is in the R4 Patient compartment of `patientId`: one of its CompartmentDefinition
 * params (vendored FHIRPath) references `Patient/<patientId>` (E1–E6). Non-member params such as
 * `Observation.focus` never confer membership (E4). The Patient resource itself is not handled here.
 */
export function isInPatientCompartment(resource: FhirResource, patientId: string, fhirBase?: string): boolean {
  const params = PATIENT_COMPARTMENT[resource.resourceType] ?? [];
  const paths = SEARCH_PARAM_PATHS[resource.resourceType] ?? {};
  const target = `Patient/${patientId}`;
  return params.some((param) => {
    const path = paths[param];
    return path !== undefined && evaluatePath(resource, path).some((v) => localReference((v as { reference?: unknown } | null)?.reference, fhirBase) === target);
  });
}

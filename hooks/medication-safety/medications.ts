import type { Bundle, CdsRequest, FhirResource } from '../../src/cds/cds-types.js';
import { ingredientByCode } from './knowledge/ingredients.js';
import { productByCode } from './knowledge/products.js';

/** RxNorm's FHIR code system URI (terminology.hl7.org "RxNorm"). */
export const RXNORM_SYSTEM = 'http://www.nlm.nih.gov/research/umls/rxnorm';

/** A medication the checks compare: a draft order, or an active medication of the patient. */
export interface MedicationItem {
  /** Relative reference, e.g. `MedicationRequest/abc` (what card actions point at). */
  reference: string;
  resource: FhirResource;
  origin: 'draft' | 'active';
  /** What the prescriber called it: first coding display, else the text. Untrusted input. */
  label: string;
  rxnormCodes: string[];
  /** Ingredient RxCUIs the knowledge base resolves from `rxnormCodes`. */
  ingredients: string[];
}

interface CodeableConcept {
  coding?: { system?: string; code?: string; display?: string }[];
  text?: string;
}

const asRecord = (v: unknown): Record<string, unknown> | undefined =>
  typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Record<string, unknown>) : undefined;

const asConcept = (v: unknown): CodeableConcept | undefined => asRecord(v) as CodeableConcept | undefined;

/** RxNorm codes of a CodeableConcept (other code systems are ignored). */
export function rxnormCodesOf(concept: CodeableConcept | undefined): string[] {
  return (concept?.coding ?? []).flatMap((c) => (c.system === RXNORM_SYSTEM && typeof c.code === 'string' && c.code !== '' ? [c.code] : []));
}

/**
 * The medication concept of a MedicationRequest/MedicationStatement: `medicationCodeableConcept`,
 * or the `code` of a contained Medication referenced as `#id`. A reference to a Medication outside
 * the resource cannot be read without I/O, so it yields no concept.
 */
export function medicationConcept(resource: FhirResource): CodeableConcept | undefined {
  const direct = asConcept(resource['medicationCodeableConcept']);
  if (direct !== undefined) return direct;
  const ref = asRecord(resource['medicationReference'])?.['reference'];
  if (typeof ref !== 'string' || !ref.startsWith('#')) return undefined;
  const contained = Array.isArray(resource['contained']) ? resource['contained'] : [];
  const medication = contained.map(asRecord).find((c) => c?.['resourceType'] === 'Medication' && c['id'] === ref.slice(1));
  return asConcept(medication?.['code']);
}

/** Ingredient RxCUIs for RxNorm codes: an ingredient maps to itself, a product (SBD via SCD) to its ingredients. */
export function ingredientsOf(rxnormCodes: readonly string[]): string[] {
  const found = rxnormCodes.flatMap((code) => {
    if (ingredientByCode(code) !== undefined) return [code];
    return productByCode(code)?.ingredients ?? [];
  });
  return [...new Set(found)];
}

function labelOf(concept: CodeableConcept | undefined): string {
  const display = concept?.coding?.find((c) => typeof c.display === 'string' && c.display !== '')?.display;
  return display ?? (concept?.text !== undefined && concept.text !== '' ? concept.text : 'unnamed medication');
}

/** Builds the item the checks compare from a MedicationRequest or MedicationStatement. */
export function toMedicationItem(resource: FhirResource, origin: MedicationItem['origin']): MedicationItem {
  const concept = medicationConcept(resource);
  const rxnormCodes = rxnormCodesOf(concept);
  return {
    reference: `${resource.resourceType}/${resource.id ?? ''}`,
    resource,
    origin,
    label: labelOf(concept),
    rxnormCodes,
    ingredients: ingredientsOf(rxnormCodes),
  };
}

const resourcesOf = (bundle: unknown): FhirResource[] =>
  ((asRecord(bundle) as Bundle | undefined)?.entry ?? []).flatMap((e) =>
    e.resource !== undefined && typeof e.resource.resourceType === 'string' ? [e.resource] : [],
  );

/** The draft orders a call is about, and which of them the clinician just selected. */
export interface DraftOrders {
  drafts: MedicationItem[];
  /** order-select: references of `context.selections`; otherwise every draft. */
  focus: Set<string>;
}

/**
 * Draft MedicationRequests of a call: `context.draftOrders` (order-select, order-sign) or the legacy
 * `context.medications` (medication-prescribe). Other request types in the bundle are not ours.
 */
export function draftMedicationOrders(request: CdsRequest): DraftOrders {
  const bundle = request.hook === 'medication-prescribe' ? request.context.medications : request.context.draftOrders;
  const drafts = resourcesOf(bundle)
    .filter((r) => r.resourceType === 'MedicationRequest')
    .map((r) => toMedicationItem(r, 'draft'));
  // order-select §context: `selections` are the newly selected orders; the other drafts are context.
  const selections = request.hook === 'order-select' ? request.context.selections : undefined;
  const focus = new Set(Array.isArray(selections) ? selections : drafts.map((d) => d.reference));
  return { drafts, focus };
}

/** True when a reference (relative or absolute) points at `Patient/<patientId>`. */
export function refersToPatient(reference: unknown, patientId: string): boolean {
  if (typeof reference !== 'string') return false;
  const target = `Patient/${patientId}`;
  return reference === target || reference.endsWith(`/${target}`);
}

const subjectOf = (r: FhirResource): unknown => asRecord(r['subject'] ?? r['patient'])?.['reference'];

/**
 * Resources of `type` in a prefetched searchset that belong to the patient of the call. A resource
 * of another patient is dropped: mixing patients is worse than a missing entry.
 */
export function patientResources(bundle: unknown, type: string, patientId: string): FhirResource[] {
  return resourcesOf(bundle).filter((r) => r.resourceType === type && refersToPatient(subjectOf(r), patientId));
}

/** Active medications from the prefetched MedicationRequest and MedicationStatement searchsets. */
export function activeMedications(requests: unknown, statements: unknown, patientId: string): MedicationItem[] {
  return [...patientResources(requests, 'MedicationRequest', patientId), ...patientResources(statements, 'MedicationStatement', patientId)]
    .filter((r) => r['status'] === 'active')
    .map((r) => toMedicationItem(r, 'active'));
}

/** True when a prefetch value is unusable: missing, or an OperationOutcome instead of data (§Prefetch). */
export function isPrefetchGap(value: unknown): boolean {
  if (value === undefined) return true;
  if (value === null) return false; // §Prefetch: null = the client ran the query and found nothing.
  const resource = asRecord(value);
  if (resource?.['resourceType'] === 'OperationOutcome') return true;
  // A searchset may carry informational outcomes (search.mode "outcome"); only errors mean missing data.
  return resourcesOf(resource).some((r) => r.resourceType === 'OperationOutcome' && hasErrorIssue(r));
}

const hasErrorIssue = (outcome: FhirResource): boolean =>
  (Array.isArray(outcome['issue']) ? outcome['issue'] : []).some((i) => {
    const severity = asRecord(i)?.['severity'];
    return severity === 'error' || severity === 'fatal';
  });

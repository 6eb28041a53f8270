import type { CdsRequest, FhirResource, UnavailablePrefetch } from '../../src/cds/cds-types.js';
import { ingredientByCode } from './knowledge/ingredients.js';
import { productByCode } from './knowledge/products.js';
import { readBundle, readMedication, unreadableGaps, type ConceptView, type MedicationField, type MedicationView } from './reader.js';

/** RxNorm's FHIR code system URI (terminology.hl7.org "RxNorm"). */
export const RXNORM_SYSTEM = 'http://www.nlm.nih.gov/research/umls/rxnorm';

/** The name the "checks not performed" card uses for the hook's draft orders (`draftOrders`, legacy `medications`). */
export const DRAFT_ORDERS = 'draftOrders';

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

/** RxNorm codes of a CodeableConcept (other code systems are ignored). */
export function rxnormCodesOf(concept: ConceptView | undefined): string[] {
  return (concept?.codings ?? []).flatMap((c) => (c.system === RXNORM_SYSTEM && c.code ? [c.code] : []));
}

/** Ingredient RxCUIs for RxNorm codes: an ingredient maps to itself, a product (SBD via SCD) to its ingredients. */
export function ingredientsOf(rxnormCodes: readonly string[]): string[] {
  const found = rxnormCodes.flatMap((code) => {
    if (ingredientByCode(code) !== undefined) return [code];
    return productByCode(code)?.ingredients ?? [];
  });
  return [...new Set(found)];
}

function labelOf(medication: MedicationField): string {
  if (medication.kind === 'concept') return medication.concept.codings.find((c) => c.display)?.display || medication.concept.text || 'unnamed medication';
  return (medication.kind === 'unresolved' && medication.display) || 'unnamed medication';
}

/** Builds the item the checks compare from a MedicationRequest or MedicationStatement. */
export function toMedicationItem(view: MedicationView, origin: MedicationItem['origin']): MedicationItem {
  const rxnormCodes = rxnormCodesOf(view.medication.kind === 'concept' ? view.medication.concept : undefined);
  return {
    reference: `${view.resource.resourceType}/${view.id ?? ''}`,
    resource: view.resource,
    origin,
    label: labelOf(view.medication),
    rxnormCodes,
    ingredients: ingredientsOf(rxnormCodes),
  };
}

/** The draft orders a call is about, which of them the clinician just selected, and what could not be read. */
export interface DraftOrders {
  /** Readable draft MedicationRequests that name a medication. */
  drafts: MedicationItem[];
  /** order-select: references of `context.selections`; otherwise every draft. */
  focus: Set<string>;
  /** Draft orders that could not be read (`DRAFT_ORDERS`, `invalid-data`), for the "checks not performed" card. */
  gaps: UnavailablePrefetch[];
}

/**
 * Draft MedicationRequests of a call: `context.draftOrders` (order-select, order-sign) or the legacy
 * `context.medications` (medication-prescribe). Other request types in the bundle are not ours. A draft
 * that names no medication at all is an order just begun (the sandbox sends one as each order starts):
 * incomplete, not uncoded, so it is not checked and makes no card (issue 10.6).
 */
export function draftMedicationOrders(request: CdsRequest): DraftOrders {
  const bundle = readBundle(request.hook === 'medication-prescribe' ? request.context.medications : request.context.draftOrders);
  const requests = (bundle?.resources ?? []).filter((r) => r.resourceType === 'MedicationRequest');
  const views = requests.flatMap((r) => readMedication(r) ?? []);
  const drafts = views.filter((v) => v.medication.kind !== 'none').map((v) => toMedicationItem(v, 'draft'));
  const gaps = unreadableGaps(DRAFT_ORDERS, bundle === undefined ? undefined : bundle.unreadable + requests.length - views.length, views.length);
  // order-select §context: `selections` are the newly selected orders; the other drafts are context.
  const selections = request.hook === 'order-select' ? request.context.selections : undefined;
  const focus = new Set(Array.isArray(selections) ? selections : drafts.map((d) => d.reference));
  return { drafts, focus, gaps };
}

/** True when a reference (relative or absolute) points at `Patient/<patientId>`. */
export function refersToPatient(reference: string | undefined, patientId: string): boolean {
  if (reference === undefined) return false;
  const target = `Patient/${patientId}`;
  return reference === target || reference.endsWith(`/${target}`);
}

import type { FhirResource, UnavailablePrefetch } from '../../src/cds/cds-types.js';

/*
 * The one place the medication-safety service reads FHIR JSON (issue 10.8): unknown JSON in, the typed
 * views the checks use out, and nothing trusted by a cast. A field the checks use that is present with a
 * shape FHIR R4 does not allow (a non-array `coding`, a non-string `text`, a null entry) makes its resource
 * unreadable: the host drops and counts it before evaluate() (PrefetchSpec.readable), and the service names
 * it on its "checks not performed" card. Fields the checks do not use are not looked at.
 */

/** R4 Coding, as far as the checks read it. */
export interface CodingView {
  system?: string;
  code?: string;
  display?: string;
}

/** R4 CodeableConcept, as far as the checks read it. */
export interface ConceptView {
  codings: CodingView[];
  text?: string;
}

/**
 * What an order or statement says its medication is: a concept (`medicationCodeableConcept`, or the code of
 * a contained Medication), a Medication this service cannot read without I/O (another resource, a contained
 * one without code, an unresolvable `#id`), or nothing at all (an order just begun, issue 10.6).
 */
export type MedicationField = { kind: 'concept'; concept: ConceptView } | { kind: 'unresolved'; display?: string } | { kind: 'none' };

/** A MedicationRequest or MedicationStatement. */
export interface MedicationView {
  /** The resource as received: suggestions update or replace it whole (§Action). */
  resource: FhirResource;
  id?: string;
  status?: string;
  /** `subject.reference`. */
  subject?: string;
  medication: MedicationField;
}

/** An AllergyIntolerance. */
export interface AllergyView {
  id?: string;
  /** `patient.reference`. */
  patient?: string;
  substance?: ConceptView;
  clinicalStatus?: ConceptView;
  verificationStatus?: ConceptView;
}

/** The resources of a Bundle's entries, and how many entries held none (not an object, no resource). */
export interface BundleView {
  resources: FhirResource[];
  unreadable: number;
}

/** Thrown by the field readers below, caught at this module's boundary only. */
class Unreadable extends Error {}

type Json = Record<string, unknown>;

const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);

/** A JSON object with a string `resourceType`. */
export const isResourceJson = (v: unknown): v is FhirResource => isObject(v) && typeof v['resourceType'] === 'string';

function object(v: unknown): Json {
  if (!isObject(v)) throw new Unreadable();
  return v;
}

function string(v: unknown): string {
  if (typeof v !== 'string') throw new Unreadable();
  return v;
}

function array(v: unknown): unknown[] {
  if (!Array.isArray(v)) throw new Unreadable();
  return v;
}

/** An absent field is undefined; a present one must read. */
function optional<T>(v: unknown, read: (v: unknown) => T): T | undefined {
  return v === undefined ? undefined : read(v);
}

function coding(v: unknown): CodingView {
  const c = object(v);
  return { system: optional(c['system'], string), code: optional(c['code'], string), display: optional(c['display'], string) };
}

function concept(v: unknown): ConceptView {
  const c = object(v);
  return { codings: (optional(c['coding'], array) ?? []).map(coding), text: optional(c['text'], string) };
}

const reference = (v: unknown): string | undefined => optional(object(v)['reference'], string);

/** No coding that names anything, and no text: the concept says nothing (issue 10.6). */
const isEmptyConcept = (c: ConceptView): boolean => !c.text && c.codings.every((x) => !x.code && !x.display);

function containedMedication(resource: Json, id: string): Json | undefined {
  return (optional(resource['contained'], array) ?? []).map(object).find((c) => c['resourceType'] === 'Medication' && c['id'] === id);
}

function medicationField(resource: Json): MedicationField {
  const direct = optional(resource['medicationCodeableConcept'], concept);
  if (direct !== undefined) return isEmptyConcept(direct) ? { kind: 'none' } : { kind: 'concept', concept: direct };
  if (resource['medicationReference'] === undefined) return { kind: 'none' };
  const ref = object(resource['medicationReference']);
  const target = optional(ref['reference'], string);
  const display = optional(ref['display'], string);
  if (!target && !display) return { kind: 'none' };
  const contained = target?.startsWith('#') ? containedMedication(resource, target.slice(1)) : undefined;
  const code = optional(contained?.['code'], concept);
  return code !== undefined && !isEmptyConcept(code) ? { kind: 'concept', concept: code } : { kind: 'unresolved', display };
}

/** Runs a reader on one resource; unreadable → undefined. */
function readOr<T>(read: () => T): T | undefined {
  try {
    return read();
  } catch (e) {
    if (e instanceof Unreadable) return undefined;
    throw e;
  }
}

/** A MedicationRequest or MedicationStatement as the checks read it; undefined when unreadable or another type. */
export function readMedication(value: unknown): MedicationView | undefined {
  if (!isResourceJson(value) || (value.resourceType !== 'MedicationRequest' && value.resourceType !== 'MedicationStatement')) return undefined;
  return readOr(() => ({
    resource: value,
    id: optional(value['id'], string),
    status: optional(value['status'], string),
    subject: optional(value['subject'], reference),
    medication: medicationField(value),
  }));
}

/** An AllergyIntolerance as the checks read it; undefined when unreadable or another type. */
export function readAllergy(value: unknown): AllergyView | undefined {
  if (!isResourceJson(value) || value.resourceType !== 'AllergyIntolerance') return undefined;
  return readOr(() => ({
    id: optional(value['id'], string),
    patient: optional(value['patient'], reference),
    substance: optional(value['code'], concept),
    clinicalStatus: optional(value['clinicalStatus'], concept),
    verificationStatus: optional(value['verificationStatus'], concept),
  }));
}

/** A Bundle's entries; undefined when the value is not a Bundle whose `entry` (if any) is an array. */
export function readBundle(value: unknown): BundleView | undefined {
  if (!isResourceJson(value) || value.resourceType !== 'Bundle') return undefined;
  const entries = value['entry'] ?? [];
  if (!Array.isArray(entries)) return undefined;
  const resources = entries.flatMap((e: unknown) => (isObject(e) && isResourceJson(e['resource']) ? [e['resource']] : []));
  return { resources, unreadable: entries.length - resources.length };
}

/**
 * `PrefetchSpec.readable` for a key whose resources of `type` the service reads with `read`: other types
 * (an included Medication, an informational OperationOutcome) are not the reader's to refuse.
 */
export function readableAs(type: string, read: (v: unknown) => unknown): (resource: FhirResource) => boolean {
  return (resource) => resource.resourceType !== type || read(resource) !== undefined;
}

/**
 * What the service itself could not read of one key, like the host reports it: nothing, some entries (how
 * many), or the whole key (`unreadable` undefined: not a Bundle; or nothing readable was left).
 */
export function unreadableGaps(key: string, unreadable: number | undefined, readable: number): UnavailablePrefetch[] {
  if (unreadable === 0) return [];
  if (unreadable === undefined || readable === 0) return [{ key, reason: 'invalid-data' }];
  return [{ key, reason: 'invalid-data', entries: unreadable }];
}

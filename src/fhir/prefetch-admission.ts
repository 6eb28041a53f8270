import { evaluate, filterBundle, isResource, type EvaluationContext, type ResourceScope } from '../scopes/index.js';
import type { Bundle, FhirResource, PrefetchSpec, UnavailableReason } from './fhir-types.js';

/** Why some or all of one key's data is missing (`entries` absent: the whole key). */
export interface KeyGap {
  reason: UnavailableReason;
  entries?: number;
}

/** What one prefetch key comes to after admission. */
export interface Admission {
  /** For evaluate(): a resource or Bundle, `null` ("no data", P3), or undefined (not passed on). */
  value: FhirResource | null | undefined;
  /** Resources removed by the scope evaluator or as unreadable; recorded as the invocation's prefetch_dropped. */
  dropped: number;
  gaps: KeyGap[];
}

/** A key none of whose data reaches evaluate(). */
export function unavailable(reason: UnavailableReason, dropped = 0): Admission {
  return { value: undefined, dropped, gaps: [{ reason }] };
}

interface ResourceEntry {
  resource: FhirResource;
  [key: string]: unknown;
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** FHIR R4 Bundle.entry: an object; a searchset entry carries its resource (E35: no content, nothing to pass). */
function isResourceEntry(entry: unknown): entry is ResourceEntry {
  return isObject(entry) && isResource(entry['resource']);
}

/**
 * The resources of a Bundle's well-formed entries; anything that is not a Bundle with an `entry` array,
 * and every entry that is not an object holding a resource, yields nothing. For reading Bundles that
 * arrive in a hook call (draft orders) without trusting their shape.
 */
export function bundleResources(value: unknown): FhirResource[] {
  if (!isResource(value) || value.resourceType !== 'Bundle') return [];
  const entry = value['entry'];
  return Array.isArray(entry) ? entry.filter(isResourceEntry).map((e) => e.resource) : [];
}

/** A Bundle with more entries than the configured `limits.prefetchResources`: too large to check, whatever it holds. */
export function exceedsResources(value: FhirResource, maxResources: number): boolean {
  const entry = value.resourceType === 'Bundle' ? value['entry'] : undefined;
  return Array.isArray(entry) && entry.length > maxResources;
}

// CDS Hooks §Prefetch: a value "MAY be (or contain) OperationOutcome(s) describing a prefetch error";
// only error and fatal issues mean data is missing (a searchset may carry informational outcomes).
function reportsError(outcome: FhirResource): boolean {
  const issues = outcome['issue'];
  return Array.isArray(issues) && issues.some((i: unknown) => isObject(i) && (i['severity'] === 'error' || i['severity'] === 'fatal'));
}

/** The service's reader is the judge of what it can read; a reader that throws cannot read it. */
function readableBy(spec: PrefetchSpec, resource: FhirResource): boolean {
  if (spec.readable === undefined) return true;
  try {
    return spec.readable(resource);
  } catch {
    return false;
  }
}

/**
 * One searchset (smart-scopes.md §5.6): entries that are not objects holding a resource are dropped as
 * `invalid-data`; OperationOutcome entries are not data (error ones make the key `fetch-failed` for those
 * entries); the rest goes through the scope evaluator (`scope-dropped`) and then the service's reader
 * (`invalid-data`). When something was left out and nothing is left, the whole key is unavailable: an empty
 * searchset would read as "the patient has none".
 */
function admitBundle(bundle: FhirResource, spec: PrefetchSpec, scopes: readonly ResourceScope[], ctx: EvaluationContext): Admission {
  const entry = bundle['entry'];
  if (entry === undefined) return { value: bundle, dropped: 0, gaps: [] };
  if (!Array.isArray(entry)) return unavailable('invalid-data', 1);
  const data: ResourceEntry[] = [];
  let malformed = 0;
  let errors = 0;
  for (const e of entry) {
    if (!isResourceEntry(e)) malformed++;
    else if (e.resource.resourceType !== 'OperationOutcome') data.push(e);
    else if (reportsError(e.resource)) errors++;
  }
  const searchset: Bundle = { ...bundle, resourceType: 'Bundle', entry: data };
  const { bundle: permitted, dropped: scopeDropped } = filterBundle(searchset, 'search', scopes, ctx);
  const kept = (permitted.entry ?? []).filter((e) => e.resource !== undefined && readableBy(spec, e.resource));
  const unreadable = malformed + (permitted.entry ?? []).length - kept.length;
  const counts: [UnavailableReason, number][] = [
    ['fetch-failed', errors],
    ['scope-dropped', scopeDropped],
    ['invalid-data', unreadable],
  ];
  const gaps = counts.filter(([, n]) => n > 0).map(([reason, entries]) => ({ reason, entries }));
  const dropped = scopeDropped + unreadable;
  if (kept.length === 0 && gaps.length > 0) return { value: undefined, dropped, gaps: gaps.map(({ reason }) => ({ reason })) };
  return { value: { ...permitted, entry: kept }, dropped, gaps };
}

/**
 * Admits one prefetch value, supplied by the EHR or fetched, for a service's key: an OperationOutcome is a
 * failed fetch (P4); a Bundle is admitted entry by entry (admitBundle); a single resource must pass the
 * scope evaluator for `read` (C5) and the service's reader, else the key is unavailable.
 */
export function admit(value: FhirResource, spec: PrefetchSpec, scopes: readonly ResourceScope[], ctx: EvaluationContext): Admission {
  if (value.resourceType === 'OperationOutcome') return unavailable('fetch-failed');
  if (value.resourceType === 'Bundle') return admitBundle(value, spec, scopes, ctx);
  if (!evaluate(value, 'read', scopes, ctx)) return unavailable('scope-dropped', 1);
  if (!readableBy(spec, value)) return unavailable('invalid-data', 1);
  return { value, dropped: 0, gaps: [] };
}

import { type FhirResource, matchesQuery } from '../../scopes/index.js';
import { InvalidIssue } from './fhir-errors.js';

/** Search parameters the /fhir endpoint understands (FHIR R4 §3.1.1.5: unknown ones are an error under strict handling). */
export const SEARCH_PARAMS = ['_id', 'patient', 'subject', 'target', 'category', 'code', 'status', '_count'] as const;

const DEFAULT_COUNT = 50;
const MAX_COUNT = 200;

/** A parsed search: predicate over resources, the page size, and the validated parameters (`_count` capped). */
export interface Search {
  matches(resource: FhirResource): boolean;
  count: number;
  params: [name: string, value: string][];
}

function referencesPatient(resource: FhirResource, element: 'subject' | 'patient', value: string): boolean {
  const wanted = value.includes('/') ? value : `Patient/${value}`;
  const ref = (resource[element] as { reference?: unknown } | undefined)?.reference;
  return ref === wanted;
}

/**
 * Builds the predicate of a search from its query parameters: `_id`, `patient`/`subject` (reference,
 * `id` or `Patient/id`), token params `category`, `code`, `status` (`system|code` semantics), `_count`.
 * Each parameter once; unknown parameters → 400 (strict handling, FHIR R4 http.html#search).
 */
export function parseSearch(query: Record<string, unknown>): Search {
  const conditions: ((r: FhirResource) => boolean)[] = [];
  const params: [string, string][] = [];
  let count = DEFAULT_COUNT;
  for (const [name, raw] of Object.entries(query)) {
    if (!(SEARCH_PARAMS as readonly string[]).includes(name)) throw new InvalidIssue(`unsupported search parameter ${name}`);
    if (typeof raw !== 'string' || raw === '') throw new InvalidIssue(`search parameter ${name} must appear once with a value`);
    if (name === '_count') {
      const n = Number(raw);
      if (!Number.isInteger(n) || n < 0) throw new InvalidIssue('_count must be a non-negative integer');
      count = Math.min(n, MAX_COUNT);
      params.push([name, String(count)]);
      continue;
    }
    params.push([name, raw]);
    if (name === 'patient' || name === 'subject') {
      conditions.push((r) => (r.resourceType === 'Patient' ? r.id === raw.replace(/^Patient\//, '') : referencesPatient(r, 'subject', raw) || referencesPatient(r, 'patient', raw)));
    } else if (name === 'target') {
      // Provenance.target (FHIR R4 search parameter `target`, reference): `Type/id`.
      conditions.push((r) => Array.isArray(r.target) && r.target.some((t: unknown) => (t as { reference?: unknown } | null)?.reference === raw));
    } else {
      conditions.push((r) => matchesQuery(r, [{ name, value: raw }]));
    }
  }
  return { matches: (r) => conditions.every((c) => c(r)), count, params };
}

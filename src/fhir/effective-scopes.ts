import { formatScopes, intersect, normalize, type ResourceScope } from '../scopes/index.js';

/** A call's effective scopes, parsed (for the evaluator) and as v2 strings (for the record and the card links). */
export interface EffectiveScopes {
  readonly scopes: readonly ResourceScope[];
  readonly formatted: readonly string[];
}

/**
 * Effective scopes of one call (smart-scopes.md §5.2, §5.3): the service's scopes ∩ the delegated ones
 * when a `fhirAuthorization` is usable, else the service's own; patient scopes only with a patient id.
 */
export function effectiveScopes(serviceScopes: readonly string[], delegated: string | undefined, patientId: string | undefined): EffectiveScopes {
  const scopes = (delegated === undefined ? normalize([...serviceScopes]) : intersect([...serviceScopes], delegated, { patientId })).filter(
    (s) => s.context !== 'patient' || patientId !== undefined,
  );
  return { scopes, formatted: formatScopes(scopes) };
}

/** Distinct (service, delegation, patient-id presence) combinations remembered; an EHR sends few. */
const MAX_ENTRIES = 1024;

/**
 * effectiveScopes() remembered per service, delegated scope string and patient-id presence: the
 * result depends on nothing else (intersect reads only whether a patient id is known), and an EHR
 * delegates the same few scope strings on every call. Parsing and normalising them was ~3% of an
 * order-sign call's CPU. Bounded: a caller varying its scopes empties the memo, it cannot grow it.
 */
export class EffectiveScopesMemo {
  private readonly entries = new Map<string, EffectiveScopes>();

  constructor(private readonly maxEntries = MAX_ENTRIES) {}

  get(serviceId: string, serviceScopes: readonly string[], delegated: string | undefined, patientId: string | undefined): EffectiveScopes {
    // patientId '' is "present" for the patient filter but "unknown" for intersect: three states.
    const patient = patientId === undefined ? 'none' : patientId ? 'known' : 'empty';
    const key = `${serviceId}\n${patient}\n${delegated === undefined ? '' : `=${delegated}`}`;
    const hit = this.entries.get(key);
    if (hit) return hit;
    if (this.entries.size >= this.maxEntries) this.entries.clear();
    const computed = deepFreeze(effectiveScopes(serviceScopes, delegated, patientId));
    this.entries.set(key, computed);
    return computed;
  }
}

/** Shared between calls, so nobody may change it. */
function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const v of Object.values(value)) deepFreeze(v);
  }
  return value;
}

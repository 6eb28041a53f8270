/** Who the data is about/for (SMART App Launch 2.2 §Scopes for requesting FHIR resources). */
export type ScopeContext = 'patient' | 'user' | 'system';

/** SMART v2 permission letter: create, read, update, delete, search (always kept in `cruds` order). */
export type Permission = 'c' | 'r' | 'u' | 'd' | 's';

/** The permission letters in their only legal order (SMART 2.2: "a subset of the in-order string `.cruds`"). */
export const PERMISSION_ORDER: readonly Permission[] = ['c', 'r', 'u', 'd', 's'];

/** One `param=value` constraint of a granular scope (value verbatim, `|` included). */
export interface ScopeParam {
  readonly name: string;
  readonly value: string;
}

/** A parsed SMART resource scope, v1 letters already normalised to v2 (`.read` ⇒ `rs`). */
export interface ResourceScope {
  readonly context: ScopeContext;
  /** An R4 resource type name or `*`. */
  readonly resourceType: string;
  /** Non-empty, in `cruds` order, no duplicates. */
  readonly permissions: readonly Permission[];
  /** Granular constraints, ANDed; sorted by name then value, duplicates removed. Empty = unconstrained. */
  readonly query: readonly ScopeParam[];
}

/** Result of parse(): resource scopes, pass-through scopes, and everything refused. */
export interface ParsedScopes {
  readonly resourceScopes: ResourceScope[];
  /** Non-resource scopes kept verbatim: launch*, openid, fhirUser, profile, email, *_access, `__ext`, URIs. */
  readonly opaque: string[];
  /** Malformed or unsupported resource-looking scopes (fail closed: they grant nothing). */
  readonly rejected: string[];
}

/** Anything the scope functions accept: a space-separated string, a list of strings, or parsed scopes. */
export type ScopeInput = string | readonly string[] | readonly ResourceScope[];

/** A FHIR resource as JSON; we only rely on `resourceType` and `id`. The one FhirResource type: fhir/ and cds/ re-export it. */
export interface FhirResource {
  resourceType: string;
  id?: string;
  [key: string]: unknown;
}

/** A FHIR interaction as checked by evaluate(): read → `r`, search → `s`, create → `c`, update → `u`+`r`, delete → `d`. */
export type Interaction = 'read' | 'search' | 'create' | 'update' | 'delete';

/** smart-scopes.md §5.4: the permission letter of each interaction (evaluate() also needs `r` for an update). */
export const INTERACTION_LETTER: Readonly<Record<Interaction, Permission>> = { read: 'r', search: 's', create: 'c', update: 'u', delete: 'd' };

/** Launch context for evaluate()/filterBundle(). */
export interface EvaluationContext {
  /** FHIR id of the patient that patient/ scopes are bound to; absent → patient/ scopes allow nothing. */
  readonly patientId?: string;
  /** Base URL of the FHIR server the data came from; absolute references on it count as local. */
  readonly fhirBase?: string;
  /** Types any patient/ scope may read without compartment membership (default DEFAULT_SHARED_TYPES). */
  readonly sharedTypes?: readonly string[];
  /** Looks up a referenced resource (used for Provenance targets); filterBundle supplies one over the Bundle. */
  readonly resolve?: (reference: string) => FhirResource | undefined;
}

// Public API of the SMART scope library (pure: no framework, no I/O). See smart-scopes.md §5–6.
export { parse, parseResourceScope } from './parse.js';
export { normalize, format, formatScopes, intersect, covers, toResourceScopes, type IntersectOptions } from './scope-set.js';
export { evaluate, isResource, DEFAULT_SHARED_TYPES } from './evaluate.js';
export { filterBundle, type ScopeBundle, type BundleEntryLike, type FilterResult } from './filter-bundle.js';
export { isInPatientCompartment } from './compartment.js';
export { localReference, isFhirId } from './reference.js';
export { isResourceType } from './resource-types.js';
export { matchesQuery } from './matches-query.js';
export { INTERACTION_LETTER, PERMISSION_ORDER } from './types.js';
export { PATIENT_COMPARTMENT, R4_RESOURCE_TYPES, SEARCH_PARAM_KINDS, SEARCH_PARAM_PATHS } from './data/fhir-r4.generated.js';
export type {
  ScopeContext,
  Permission,
  ScopeParam,
  ResourceScope,
  ParsedScopes,
  ScopeInput,
  FhirResource,
  Interaction,
  EvaluationContext,
} from './types.js';

import { SEARCH_PARAM_PATHS } from './data/fhir-r4.generated.js';
import { evaluatePath } from './fhirpath.js';
import { matchesToken } from './token.js';
import type { FhirResource, ScopeParam } from './types.js';

function matchesParam(resource: FhirResource, param: ScopeParam): boolean {
  const meta = (resource.meta ?? {}) as Record<string, unknown>;
  switch (param.name) {
    case '_id':
      return param.value.split(',').includes(resource.id ?? '');
    case '_tag':
      return matchesToken(param.value, Array.isArray(meta.tag) ? meta.tag : []);
    case '_security':
      return matchesToken(param.value, Array.isArray(meta.security) ? meta.security : []);
    case '_profile':
      return Array.isArray(meta.profile) && param.value.split(',').some((v) => (meta.profile as unknown[]).includes(v));
    default: {
      // A constraint we cannot evaluate for this type (unknown param, non-token param) matches nothing: fail closed.
      const path = SEARCH_PARAM_PATHS[resource.resourceType]?.[param.name];
      return path !== undefined && matchesToken(param.value, evaluatePath(resource, path));
    }
  }
}

/** True when the resource satisfies every constraint of a granular scope (AND; commas inside a value are OR). */
export function matchesQuery(resource: FhirResource, query: readonly ScopeParam[]): boolean {
  return query.every((param) => matchesParam(resource, param));
}

import { R4_RESOURCE_TYPES } from './data/fhir-r4.generated.js';

const KNOWN = new Set(R4_RESOURCE_TYPES);

/** True for an exact (case-sensitive) R4 resource type name. */
export function isResourceType(name: string): boolean {
  return KNOWN.has(name);
}

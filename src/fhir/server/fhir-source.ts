import type { FhirResource } from '../../scopes/index.js';
import type { Search } from './search.js';

/**
 * Where /fhir reads and writes resources: the embedded store (hook snapshots plus local writes) or an
 * upstream FHIR server (`upstreamFhir`). A source only moves data; every scope decision is FhirService's,
 * so both modes answer the same token the same way.
 */
export interface FhirSource {
  /** The resource, or undefined when the source does not know it. */
  read(partition: string, type: string, id: string): Promise<FhirResource | undefined>;
  /** Candidates for `search`: may be a superset, FhirService applies the search predicate and the scopes. */
  search(partition: string, type: string, search: Search): Promise<FhirResource[]>;
  /** Stores a new resource; the source assigns its id. */
  create(partition: string, resource: FhirResource): Promise<FhirResource>;
  /** Creates or replaces the resource with this id. */
  update(partition: string, resource: FhirResource & { id: string }): Promise<FhirResource>;
}

/** Injection token for the FhirSource of this instance, chosen once at boot from the config. */
export const FHIR_SOURCE = Symbol('FHIR_SOURCE');

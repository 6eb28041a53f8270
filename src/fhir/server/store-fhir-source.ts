import { randomUUID } from 'node:crypto';
import type { FhirResource } from '../../scopes/index.js';
import type { FhirSource } from './fhir-source.js';
import type { FhirStore } from './fhir-store.js';

/** The embedded mode: the partition's hook snapshot plus local writes, from FhirStore. */
export class StoreFhirSource implements FhirSource {
  constructor(private readonly store: FhirStore) {}

  read(partition: string, type: string, id: string): Promise<FhirResource | undefined> {
    return this.store.read(partition, type, id);
  }

  search(partition: string, type: string): Promise<FhirResource[]> {
    return this.store.list(partition, type);
  }

  create(partition: string, resource: FhirResource): Promise<FhirResource> {
    return this.store.put(partition, { ...resource, id: randomUUID() });
  }

  update(partition: string, resource: FhirResource & { id: string }): Promise<FhirResource> {
    return this.store.put(partition, resource);
  }
}

import { randomUUID } from 'node:crypto';
import type { FhirResource } from '../../scopes/index.js';
import type { LaunchSnapshotRepository } from '../../smart/launch-snapshots.repository.js';
import type { FhirSource } from './fhir-source.js';
import type { FhirResourcesRepository } from './fhir-resources.repository.js';

/** Partitions this instance knows are materialised; bounded, and forgetting one only costs a lookup. */
const MATERIALISED_MEMORY = 10_000;

/**
 * The embedded mode: the partition's hook snapshot plus local writes, from FhirResourcesRepository. A hook call
 * stores its snapshot as one document; the first request of a launch from it copies the document
 * into the partition (idempotently, so instances racing on it store it once).
 */
export class StoreFhirSource implements FhirSource {
  private readonly materialised = new Set<string>();

  constructor(
    private readonly store: FhirResourcesRepository,
    private readonly snapshots: LaunchSnapshotRepository,
  ) {}

  async read(partition: string, type: string, id: string): Promise<FhirResource | undefined> {
    await this.materialise(partition);
    return this.store.read(partition, type, id);
  }

  async search(partition: string, type: string): Promise<FhirResource[]> {
    await this.materialise(partition);
    return this.store.list(partition, type);
  }

  async create(partition: string, resource: FhirResource): Promise<FhirResource> {
    await this.materialise(partition);
    return this.store.put(partition, { ...resource, id: randomUUID() });
  }

  async update(partition: string, resource: FhirResource & { id: string }): Promise<FhirResource> {
    await this.materialise(partition);
    return this.store.put(partition, resource);
  }

  private async materialise(partition: string): Promise<void> {
    if (this.materialised.has(partition)) return;
    const pending = await this.snapshots.pending(partition);
    if (pending) {
      await this.store.insertMissing(partition, pending);
      await this.snapshots.markMaterialized(partition, new Date());
    }
    if (this.materialised.size >= MATERIALISED_MEMORY) this.materialised.clear();
    this.materialised.add(partition);
  }
}

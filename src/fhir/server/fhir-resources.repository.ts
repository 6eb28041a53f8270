import { Inject, Injectable } from '@nestjs/common';
import type { FhirResource } from '../../scopes/index.js';
import { DATABASE, type Database } from '../../store/database.js';

/** Inserts a JSON array of resources ($2) into a partition ($1) where absent: a later local write always wins. */
const INSERT_MISSING_SQL = `INSERT INTO fhir_resources (partition, type, id, version, resource, updated_at)
  SELECT $1, r->>'resourceType', r->>'id', 1,
         r || jsonb_build_object('meta', coalesce(r->'meta', '{}'::jsonb) || jsonb_build_object('versionId', '1', 'lastUpdated', $3::text)),
         $3::timestamptz
    FROM jsonb_array_elements($2::jsonb) AS r
  ON CONFLICT (partition, type, id) DO NOTHING`;

/**
 * Resources served by /fhir (fhir_resources), per partition: `demo` (seeded by the demo configuration)
 * or a hookInstance whose launch snapshot was materialised into it (insertMissing). Every instance
 * shares it through the database.
 */
@Injectable()
export class FhirResourcesRepository {
  constructor(@Inject(DATABASE) private readonly db: Database) {}

  async read(partition: string, type: string, id: string): Promise<FhirResource | undefined> {
    const [row] = await this.db.query<{ resource: FhirResource }>('SELECT resource FROM fhir_resources WHERE partition = $1 AND type = $2 AND id = $3', [
      partition,
      type,
      id,
    ]);
    return row?.resource;
  }

  async list(partition: string, type: string): Promise<FhirResource[]> {
    const rows = await this.db.query<{ resource: FhirResource }>('SELECT resource FROM fhir_resources WHERE partition = $1 AND type = $2 ORDER BY id', [
      partition,
      type,
    ]);
    return rows.map((r) => r.resource);
  }

  /** Creates or replaces `resource` (which must carry resourceType and id), bumping meta.versionId. */
  async put(partition: string, resource: FhirResource & { id: string }): Promise<FhirResource> {
    return this.db.transaction(async (tx) => {
      const [row] = await tx.query<{ version: number }>(
        `INSERT INTO fhir_resources (partition, type, id, version, resource, updated_at) VALUES ($1, $2, $3, 1, $4, $5)
         ON CONFLICT (partition, type, id) DO UPDATE SET version = fhir_resources.version + 1, resource = $4, updated_at = $5
         RETURNING version`,
        [partition, resource.resourceType, resource.id, JSON.stringify(resource), new Date()],
      );
      const stored = { ...resource, meta: { ...(resource.meta as object | undefined), versionId: String(row.version), lastUpdated: new Date().toISOString() } };
      await tx.query('UPDATE fhir_resources SET resource = $4 WHERE partition = $1 AND type = $2 AND id = $3', [
        partition,
        resource.resourceType,
        resource.id,
        JSON.stringify(stored),
      ]);
      return stored;
    });
  }

  /**
   * Adds the resources a partition does not hold yet, in one statement; idempotent, so two instances
   * materialising the same launch snapshot at once store it once.
   */
  async insertMissing(partition: string, resources: readonly (FhirResource & { id: string })[]): Promise<void> {
    if (resources.length === 0) return;
    await this.db.query(INSERT_MISSING_SQL, [partition, JSON.stringify(resources), new Date().toISOString()]);
  }
}

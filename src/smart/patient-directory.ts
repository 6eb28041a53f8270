import { Inject, Injectable } from '@nestjs/common';
import { DATABASE, type Database } from '../store/database.js';

/** Partition of the /fhir endpoint holding the demo patients a standalone launch can choose from. */
export const DEMO_PARTITION = 'demo';

interface PatientRow {
  id: string;
  resource: { name?: { text?: string; given?: string[]; family?: string }[] };
}

/** The patients a user may pick in a standalone launch (SMART `context-standalone-patient`). */
@Injectable()
export class PatientDirectory {
  constructor(@Inject(DATABASE) private readonly db: Database) {}

  async list(): Promise<{ id: string; name: string }[]> {
    const rows = await this.db.query<PatientRow>(
      "SELECT id, resource FROM fhir_resources WHERE partition = $1 AND type = 'Patient' ORDER BY id",
      [DEMO_PARTITION],
    );
    return rows.map((r) => {
      const n = r.resource.name?.[0];
      return { id: r.id, name: n?.text ?? ([...(n?.given ?? []), n?.family].filter(Boolean).join(' ') || r.id) };
    });
  }

  async exists(id: string): Promise<boolean> {
    const rows = await this.db.query("SELECT 1 FROM fhir_resources WHERE partition = $1 AND type = 'Patient' AND id = $2", [DEMO_PARTITION, id]);
    return rows.length > 0;
  }
}

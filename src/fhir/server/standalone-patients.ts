import { Inject, Injectable } from '@nestjs/common';
import type { FhirResource } from '../../scopes/index.js';
import { DEMO_PARTITION, type PatientChoice, type PatientDirectory } from '../../smart/patient-directory.js';
import { FhirResourcesRepository } from './fhir-resources.repository.js';

interface HumanName {
  text?: string;
  given?: string[];
  family?: string;
}

function displayName(patient: FhirResource): string {
  const n = (patient.name as HumanName[] | undefined)?.[0];
  return n?.text ?? ([...(n?.given ?? []), n?.family].filter(Boolean).join(' ') || String(patient.id));
}

/** The authorization server's patient choice, served from the /fhir store's standalone partition, and patient names for its pages. */
@Injectable()
export class StandalonePatients implements PatientDirectory {
  constructor(@Inject(FhirResourcesRepository) private readonly resources: FhirResourcesRepository) {}

  async list(): Promise<PatientChoice[]> {
    return (await this.resources.list(DEMO_PARTITION, 'Patient')).map((p) => ({ id: String(p.id), name: displayName(p) }));
  }

  async exists(id: string): Promise<boolean> {
    return (await this.resources.read(DEMO_PARTITION, 'Patient', id)) !== undefined;
  }

  async name(partition: string, id: string): Promise<string | undefined> {
    const patient = await this.resources.read(partition, 'Patient', id);
    return patient === undefined ? undefined : displayName(patient);
  }
}

import { Global, Module } from '@nestjs/common';
import { PATIENT_DIRECTORY } from '../../smart/patient-directory.js';
import { DemoResourcesSeed } from './demo-resources.seed.js';
import { FhirResourcesRepository } from './fhir-resources.repository.js';
import { StandalonePatients } from './standalone-patients.js';

/**
 * The /fhir store's table, the demo records seeded into it, and what the authorization server reads
 * of it (the standalone patient choice). Global because SmartModule, which /fhir imports, needs
 * PATIENT_DIRECTORY: smart/ defines the seam, fhir/ fills it, and no import points up.
 */
@Global()
@Module({
  providers: [FhirResourcesRepository, DemoResourcesSeed, StandalonePatients, { provide: PATIENT_DIRECTORY, useExisting: StandalonePatients }],
  exports: [FhirResourcesRepository, PATIENT_DIRECTORY],
})
export class FhirResourcesModule {}

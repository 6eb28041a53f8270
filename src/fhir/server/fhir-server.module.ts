import { Module } from '@nestjs/common';

/** The SMART-protected /fhir endpoint for launched apps. */
@Module({})
export class FhirServerModule {}

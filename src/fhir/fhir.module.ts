import { Module } from '@nestjs/common';

/** Prefetch resolution and the SMART-protected /fhir endpoint for apps. */
@Module({})
export class FhirModule {}

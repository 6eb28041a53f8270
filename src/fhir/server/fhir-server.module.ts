import { Module } from '@nestjs/common';
import { PassportModule } from '@nestjs/passport';
import { SmartModule } from '../../smart/smart.module.js';
import { FhirMetadataController, FhirController } from './fhir.controller.js';
import { FhirService } from './fhir.service.js';
import { FhirStore } from './fhir-store.js';
import { SmartBearerGuard, SmartBearerStrategy } from './smart-bearer.strategy.js';
import { WellKnownController } from './well-known.controller.js';

/**
 * The SMART-protected /fhir endpoint for launched apps, with the SMART discovery documents under it.
 * Controller order matters: `.well-known/*` and `metadata` must be routed before `/:type/:id`.
 * Exports FhirStore so hook snapshots can be stored per hookInstance (`putAll`).
 */
@Module({
  imports: [SmartModule, PassportModule],
  controllers: [WellKnownController, FhirMetadataController, FhirController],
  providers: [FhirStore, FhirService, SmartBearerStrategy, SmartBearerGuard],
  exports: [FhirStore],
})
export class FhirServerModule {}

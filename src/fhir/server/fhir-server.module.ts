import { Module } from '@nestjs/common';
import { APP_CONFIG, type AppConfig } from '../../config/app-config.js';
import { PassportModule } from '@nestjs/passport';
import { SmartModule } from '../../smart/smart.module.js';
import { FhirMetadataController, FhirController } from './fhir.controller.js';
import { FhirService } from './fhir.service.js';
import { FHIR_SOURCE, type FhirSource } from './fhir-source.js';
import { FhirStore } from './fhir-store.js';
import { SmartBearerGuard, SmartBearerStrategy } from './smart-bearer.strategy.js';
import { StoreFhirSource } from './store-fhir-source.js';
import { UpstreamFhirSource } from './upstream-fhir-source.js';
import { WellKnownController } from './well-known.controller.js';

/**
 * The SMART-protected /fhir endpoint for launched apps, with the SMART discovery documents under it.
 * Controller order matters: `.well-known/*` and `metadata` must be routed before `/:type/:id`.
 * Exports FhirStore so hook snapshots can be stored per hookInstance (`putAll`). `/fhir` serves them
 * (plus local writes) unless `upstreamFhir` is configured, then it proxies to that server (issue 6).
 */
@Module({
  imports: [SmartModule, PassportModule],
  controllers: [WellKnownController, FhirMetadataController, FhirController],
  providers: [
    FhirStore,
    {
      provide: FHIR_SOURCE,
      inject: [APP_CONFIG, FhirStore],
      useFactory: (config: AppConfig, store: FhirStore): FhirSource => (config.upstreamFhir ? new UpstreamFhirSource(config.upstreamFhir) : new StoreFhirSource(store)),
    },
    FhirService,
    SmartBearerStrategy,
    SmartBearerGuard,
  ],
  exports: [FhirStore],
})
export class FhirServerModule {}

import { type DynamicModule, Module } from '@nestjs/common';
import { APP_CONFIG, type AppConfig } from '../../config/app-config.js';
import { LaunchSnapshotRepository } from '../../smart/launch-snapshots.repository.js';
import { SmartModule } from '../../smart/smart.module.js';
import { FhirMetadataController, FhirController } from './fhir.controller.js';
import { FhirService } from './fhir.service.js';
import { FHIR_SOURCE, type FhirSource } from './fhir-source.js';
import { FhirResourcesModule } from './fhir-resources.module.js';
import { FhirResourcesRepository } from './fhir-resources.repository.js';
import { StoreFhirSource } from './store-fhir-source.js';
import { UpstreamFhirSource } from './upstream-fhir-source.js';
import { type ServiceWriteRules, WRITE_RULES } from './write-policy.js';
import { WritePolicy } from './write-policy.service.js';

/**
 * The SMART-protected /fhir endpoint for launched apps. Route order matters: SmartModule (whose
 * discovery documents live under `/fhir/.well-known/`) is imported first, so its routes and
 * `metadata` are matched before `/:type/:id`. `/fhir` serves each launch its hook call's snapshot
 * (plus local writes) unless `upstreamFhir` is configured, then it proxies to that server.
 */
@Module({})
export class FhirServerModule {
  /** `rules`: the write rules of the served services, by service id (the bootstrap reads them from hooks/). */
  static forRoot(rules: ServiceWriteRules): DynamicModule {
    return {
      module: FhirServerModule,
      imports: [SmartModule, FhirResourcesModule],
      controllers: [FhirMetadataController, FhirController],
      providers: [
        { provide: WRITE_RULES, useValue: rules },
        WritePolicy,
        {
          provide: FHIR_SOURCE,
          inject: [APP_CONFIG, FhirResourcesRepository, LaunchSnapshotRepository],
          useFactory: (config: AppConfig, store: FhirResourcesRepository, snapshots: LaunchSnapshotRepository): FhirSource =>
            config.upstreamFhir ? new UpstreamFhirSource(config.upstreamFhir) : new StoreFhirSource(store, snapshots),
        },
        FhirService,
      ],
    };
  }
}

import { type DynamicModule, Module } from '@nestjs/common';
import { services } from '../hooks/index.js';
import { LinksModule } from './links/links.module.js';
import { CdsModule } from './cds/cds.module.js';
import { withServiceApps } from './cds/service-apps.js';
import type { AppConfig } from './config/app-config.js';
import { ConfigModule } from './config/config.module.js';
import { ConsoleModule } from './console/console.module.js';
import { EhrAuthModule } from './ehr-auth/ehr-auth.module.js';
import { FhirModule } from './fhir/fhir.module.js';
import { FhirResourcesModule } from './fhir/server/fhir-resources.module.js';
import { FhirServerModule } from './fhir/server/fhir-server.module.js';
import { SmartModule } from './smart/smart.module.js';
import { StoreModule } from './store/store.module.js';

@Module({})
export class AppModule {
  /** The apps the served services ship join the SMART clients here: smart/ knows no services, config/ no src/. */
  static forRoot(config: AppConfig): DynamicModule {
    return {
      module: AppModule,
      imports: [
        ConfigModule.forRoot(withServiceApps(config, services)),
        StoreModule,
        EhrAuthModule,
        CdsModule,
        FhirModule,
        FhirResourcesModule,
        SmartModule,
        FhirServerModule,
        LinksModule,
        // Only the demo configuration has a demo EHR to play.
        ...(config.demoEhrKey ? [ConsoleModule] : []),
      ],
    };
  }
}

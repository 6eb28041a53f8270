import { type DynamicModule, Module } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { services } from '../hooks/index.js';
import { AnalyticsModule } from './analytics/analytics.module.js';
import { withDashboardClient } from './analytics/dashboard-client.js';
import { LinksModule } from './links/links.module.js';
import { CdsModule } from './cds/cds.module.js';
import { withServiceApps } from './cds/service-apps.js';
import { APP_CONFIG, type AppConfig } from './config/app-config.js';
import { ConfigModule } from './config/config.module.js';
import { ConsoleModule } from './console/console.module.js';
import { EhrAuthModule } from './ehr-auth/ehr-auth.module.js';
import { FhirModule } from './fhir/fhir.module.js';
import { FhirResourcesModule } from './fhir/server/fhir-resources.module.js';
import { FhirServerModule } from './fhir/server/fhir-server.module.js';
import { writeRulesByService } from './fhir/server/write-policy.js';
import { InputBoundsGuard } from './http/input-bounds.guard.js';
import { MetricsModule } from './ops/metrics.module.js';
import { OpsModule } from './ops/ops.module.js';
import { KeysService } from './smart/keys.service.js';
import { SmartModule } from './smart/smart.module.js';
import { StoreModule } from './store/store.module.js';

@Module({})
export class AppModule {
  /**
   * The apps the served services ship, and the analytics dashboard, join the SMART clients here:
   * smart/ knows no services, config/ no src/.
   */
  static forRoot(config: AppConfig): DynamicModule {
    return {
      module: AppModule,
      imports: [
        ConfigModule.forRoot(withDashboardClient(withServiceApps(config, services))),
        StoreModule,
        EhrAuthModule,
        CdsModule,
        FhirModule,
        FhirResourcesModule,
        SmartModule,
        FhirServerModule.forRoot(writeRulesByService(services)),
        LinksModule,
        AnalyticsModule,
        MetricsModule,
        OpsModule.forRoot({ imports: [SmartModule], inject: [KeysService], useFactory: (keys: KeysService) => () => keys.loaded() }),
        // Only the demo configuration has a demo EHR to play.
        ...(config.demoEhrKey ? [ConsoleModule] : []),
      ],
      // First of every route's guards: nothing reads an input before its size and text are checked.
      providers: [
        {
          provide: APP_GUARD,
          useFactory: (c: AppConfig) => new InputBoundsGuard({ maxDepth: c.limits.jsonDepth, maxArrayItems: c.limits.arrayItems }),
          inject: [APP_CONFIG],
        },
      ],
    };
  }
}

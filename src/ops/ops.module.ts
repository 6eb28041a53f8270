import { type DynamicModule, type FactoryProvider, Module } from '@nestjs/common';
import { TerminusModule } from '@nestjs/terminus';
import { APP_CONFIG, type AppConfig } from '../config/app-config.js';
import { DATABASE, type Database } from '../store/database.js';
import { pendingMigrations } from '../store/migrate.js';
import { HealthController } from './health.controller.js';
import { READINESS_PROBES, type ReadinessProbes, ReadinessService, SIGNING_KEYS_LOADED, type SigningKeysLoaded } from './readiness.service.js';

/** Health and readiness; the signing-key check comes from the folder that owns the keys, wired by app.module.ts. */
@Module({})
export class OpsModule {
  static forRoot(keys: Omit<FactoryProvider<SigningKeysLoaded>, 'provide'> & { imports: DynamicModule['imports'] }): DynamicModule {
    const { imports, ...factory } = keys;
    return {
      module: OpsModule,
      // An outage is logged once by the store; a probe failing every few seconds would only repeat it.
      imports: [TerminusModule.forRoot({ logger: false }), ...(imports ?? [])],
      controllers: [HealthController],
      providers: [
        ReadinessService,
        { provide: SIGNING_KEYS_LOADED, ...factory },
        {
          provide: READINESS_PROBES,
          inject: [APP_CONFIG, DATABASE, SIGNING_KEYS_LOADED],
          useFactory: (config: AppConfig, db: Database, signingKeysLoaded: SigningKeysLoaded): ReadinessProbes => ({
            boundMs: config.database.connectTimeoutMs,
            databaseKind: db.kind,
            pendingMigrations: () => pendingMigrations(db),
            signingKeysLoaded,
          }),
        },
      ],
    };
  }
}

import { type DynamicModule, type FactoryProvider, Module } from '@nestjs/common';
import { TerminusModule } from '@nestjs/terminus';
import { HealthController } from './health.controller.js';
import { ReadinessService, SIGNING_KEYS_LOADED, type SigningKeysLoaded } from './readiness.service.js';

/** Health and readiness; the signing-key check comes from the folder that owns the keys, wired by app.module.ts. */
@Module({})
export class OpsModule {
  static forRoot(signingKeysLoaded: Omit<FactoryProvider<SigningKeysLoaded>, 'provide'> & { imports: DynamicModule['imports'] }): DynamicModule {
    const { imports, ...factory } = signingKeysLoaded;
    return {
      module: OpsModule,
      // An outage is logged once by the store; a probe failing every few seconds would only repeat it.
      imports: [TerminusModule.forRoot({ logger: false }), ...(imports ?? [])],
      controllers: [HealthController],
      providers: [ReadinessService, { provide: SIGNING_KEYS_LOADED, ...factory }],
    };
  }
}

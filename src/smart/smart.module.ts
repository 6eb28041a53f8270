import { Inject, Module, type OnModuleInit } from '@nestjs/common';
import { APP_CONFIG, type AppConfig } from '../config/app-config.js';
import { ConfigError } from '../config/config-error.js';
import { AccessTokenVerifier } from './access-token.verifier.js';
import { AuthorizeController } from './authorize.controller.js';
import { AuthorizeService } from './authorize.service.js';
import { ClientAuthenticator } from './client-auth.js';
import { registrationProblems } from './client-registration.js';
import { GrantStore } from './grant-store.js';
import { HousekeepingService } from './housekeeping.service.js';
import { IntrospectionService } from './introspection.service.js';
import { KeysService } from './keys.service.js';
import { LaunchService } from './launch.service.js';
import { PatientDirectory } from './patient-directory.js';
import { TokenIssuer } from './token-issuer.js';
import { TokenController } from './token.controller.js';
import { TokenService } from './token.service.js';

/**
 * The embedded SMART App Launch 2.x authorization server. Exports LaunchService (card links mint
 * launches), KeysService and AccessTokenVerifier (the /fhir endpoint checks bearer tokens).
 * Discovery documents live under the FHIR base and are served by FhirServerModule.
 */
@Module({
  controllers: [AuthorizeController, TokenController],
  providers: [
    KeysService,
    LaunchService,
    GrantStore,
    PatientDirectory,
    AuthorizeService,
    ClientAuthenticator,
    TokenIssuer,
    TokenService,
    AccessTokenVerifier,
    IntrospectionService,
    HousekeepingService,
  ],
  exports: [LaunchService, KeysService, AccessTokenVerifier],
})
export class SmartModule implements OnModuleInit {
  constructor(@Inject(APP_CONFIG) private readonly config: AppConfig) {}

  /** Refuses to start with a client registration the authorization server must not honour (A15). */
  onModuleInit(): void {
    const problems = registrationProblems(this.config.smartClients, this.config.publicUrl);
    if (problems.length) throw new ConfigError(this.config.configPath ?? 'configuration', problems);
  }
}

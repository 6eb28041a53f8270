import { Inject, Module, type OnModuleInit } from '@nestjs/common';
import { APP_CONFIG, type AppConfig } from '../config/app-config.js';
import { ConfigError } from '../config/config-error.js';
import { AccessTokenVerifier } from './access-token.verifier.js';
import { AssertionJtisRepository } from './assertion-jtis.repository.js';
import { AuthorizationTransactionsRepository } from './authorization-transactions.repository.js';
import { AuthorizeController } from './authorize.controller.js';
import { AuthorizeService } from './authorize.service.js';
import { ClientAuthenticator } from './client-auth.js';
import { registrationProblems } from './client-registration.js';
import { GrantStore } from './grant-store.js';
import { GrantsRepository } from './grants.repository.js';
import { HousekeepingService } from './housekeeping.service.js';
import { IntrospectionService } from './introspection.service.js';
import { KeysService } from './keys.service.js';
import { LaunchSnapshotRepository } from './launch-snapshots.repository.js';
import { LaunchService } from './launch.service.js';
import { LaunchEventsRepository } from './launch-events.repository.js';
import { LaunchesRepository } from './launches.repository.js';
import { JwksController } from './jwks.controller.js';
import { LoginThrottle } from './login-throttle.js';
import { PasswordSignIn } from './password-sign-in.js';
import { AuthSessions } from './session/auth-sessions.service.js';
import { SessionController } from './session/session.controller.js';
import { SessionsRepository } from './session/sessions.repository.js';
import { SignInService } from './session/sign-in.service.js';
import { SignInsRepository } from './session/sign-ins.repository.js';
import { UpstreamSignIn } from './session/upstream-sign-in.js';
import { OverrideRequests } from './override/override-requests.js';
import { OverridesRepository } from './override/overrides.repository.js';
import { SigningKeysRepository } from './signing-keys.repository.js';
import { SmartBearerGuard } from './smart-bearer.guard.js';
import { TokenIssuer } from './token-issuer.js';
import { TokenController } from './token.controller.js';
import { TokenService } from './token.service.js';
import { WellKnownController } from './well-known.controller.js';

/**
 * The embedded SMART App Launch 2.x authorization server. Exports LaunchService and
 * LaunchSnapshotRepository (card links mint launches and keep their data), KeysService,
 * AccessTokenVerifier and SmartBearerGuard (the /fhir endpoint checks bearer tokens) and
 * HousekeepingService (links/ purges its rows on the same schedule), AuthSessions and SignInService
 * (a card-link click needs a signed-in user). Its discovery documents live
 * under the FHIR base (`/fhir/.well-known/*`).
 */
@Module({
  controllers: [WellKnownController, JwksController, AuthorizeController, TokenController, SessionController],
  providers: [
    SigningKeysRepository,
    KeysService,
    LaunchesRepository,
    LaunchEventsRepository,
    LaunchService,
    LaunchSnapshotRepository,
    GrantsRepository,
    GrantStore,
    AssertionJtisRepository,
    AuthorizationTransactionsRepository,
    AuthorizeService,
    ClientAuthenticator,
    TokenIssuer,
    TokenService,
    AccessTokenVerifier,
    IntrospectionService,
    HousekeepingService,
    SmartBearerGuard,
    OverrideRequests,
    OverridesRepository,
    LoginThrottle,
    PasswordSignIn,
    SessionsRepository,
    AuthSessions,
    SignInsRepository,
    SignInService,
    UpstreamSignIn,
  ],
  exports: [AuthSessions, SignInService, LaunchService, LaunchSnapshotRepository, KeysService, AccessTokenVerifier, SmartBearerGuard, HousekeepingService, OverrideRequests, OverridesRepository],
})
export class SmartModule implements OnModuleInit {
  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(HousekeepingService) private readonly housekeeping: HousekeepingService,
    @Inject(AuthSessions) private readonly sessions: AuthSessions,
    @Inject(SignInService) private readonly signIns: SignInService,
  ) {}

  /** Refuses to start with a client registration the authorization server must not honour (A15). */
  onModuleInit(): void {
    const problems = registrationProblems(this.config.smartClients, this.config.publicUrl);
    if (problems.length) throw new ConfigError(this.config.configPath ?? 'configuration', problems);
    this.housekeeping.register((now) => this.sessions.purge(now));
    this.housekeeping.register((now) => this.signIns.purge(now));
  }
}

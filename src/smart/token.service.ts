import { Inject, Injectable } from '@nestjs/common';
import { APP_CONFIG, type AppConfig } from '../config/app-config.js';
import { type AuthenticatedClient, ClientAuthenticator, type ClientCredentials } from './client-auth.js';
import { GrantStore } from './grant-store.js';
import { isScopeSubset, isSystemScopeWithin, scopeWords } from './grant-scopes.js';
import { InvalidClient, InvalidGrant, InvalidRequest, InvalidScope, UnauthorizedClient, UnsupportedGrantType } from './oauth-errors.js';
import { param } from './oauth-params.js';
import { DEMO_PARTITION } from './patient-directory.js';
import { s256, safeEqual } from './secrets.js';
import { smartUrls } from './smart-urls.js';
import { type TokenResponse, TokenIssuer } from './token-issuer.js';
import { AppError } from '../http/app-error.js';
import { emit } from '../http/telemetry.js';

/** A token request as the controller sees it. */
export interface TokenRequest extends ClientCredentials {
  contentType?: string;
  query: Record<string, unknown>;
}

// RFC 7636 §4.1: code_verifier = 43*128unreserved.
const VERIFIER = /^[A-Za-z0-9\-._~]{43,128}$/;

/** The token endpoint (SMART app-launch.md steps 5 and 7, backend-services.md; RFC 6749 §4.1.3, §6, §4.4). */
/** Grant types this server supports; any other value is counted as `other`, so a caller cannot mint metric labels. */
const GRANT_TYPES = new Set(['authorization_code', 'refresh_token', 'client_credentials']);

function grantTypeLabel(grantType: unknown): string {
  if (grantType === undefined) return 'none';
  return typeof grantType === 'string' && GRANT_TYPES.has(grantType) ? grantType : 'other';
}

@Injectable()
export class TokenService {
  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly auth: ClientAuthenticator,
    private readonly grants: GrantStore,
    private readonly issuer: TokenIssuer,
  ) {}

  /** The token endpoint (SMART App Launch §Obtain access token); every outcome counted by grant type. */
  async token(req: TokenRequest): Promise<TokenResponse> {
    const grantType = grantTypeLabel(param(req.body, 'grant_type'));
    try {
      const response = await this.grant(req);
      emit('smart.token', { grantType, outcome: 'ok' });
      return response;
    } catch (e) {
      emit('smart.token', { grantType, outcome: e instanceof AppError ? e.code : 'server_error' });
      throw e;
    }
  }

  private async grant(req: TokenRequest): Promise<TokenResponse> {
    // SMART step 5: the body is application/x-www-form-urlencoded (T12).
    if (!/^application\/x-www-form-urlencoded\b/i.test(req.contentType ?? '')) throw new InvalidRequest('body must be application/x-www-form-urlencoded');
    // RFC 6749 §2.3.1: credentials never in the URL (T11).
    if (Object.keys(req.query).length > 0) throw new InvalidRequest('parameters must not be sent in the query string');
    const client = await this.auth.authenticate(req);
    const grantType = param(req.body, 'grant_type');
    if (grantType === 'authorization_code') return this.authorizationCode(req.body, client);
    if (grantType === 'refresh_token') return this.refresh(req.body, client);
    if (grantType === 'client_credentials') return this.clientCredentials(req.body, client);
    if (grantType === undefined) throw new InvalidRequest('grant_type is required');
    throw new UnsupportedGrantType(`grant_type ${grantType} is not supported`);
  }

  private async authorizationCode(body: Record<string, unknown>, client: AuthenticatedClient | undefined): Promise<TokenResponse> {
    if (!client) throw new InvalidClient('client_id is required');
    const code = param(body, 'code');
    if (!code) throw new InvalidRequest('code is required');
    const row = await this.grants.findCode(code);
    if (!row) throw new InvalidGrant('unknown code');
    // RFC 6749 §4.1.3 / RFC 9207 §2: a code is redeemed only at the issuer that issued it. Another
    // PUBLIC_URL sharing this database is another authorization server; its codes are not ours to
    // redeem, nor to revoke on reuse.
    if (row.issuer !== smartUrls(this.config).issuer) throw new InvalidGrant('code was issued by another authorization server');
    // RFC 6749 §4.1.2: a code used twice revokes everything issued from it (T1).
    if (row.consumed) {
      await this.grants.revokeGrant(row.grantId);
      throw new InvalidGrant('code was already used');
    }
    if (row.expiresAt.getTime() <= Date.now()) throw new InvalidGrant('code expired');
    // RFC 6749 §4.1.3: issued to this client (T3), same redirect_uri (T4).
    if (row.clientId !== client.client.clientId) throw new InvalidGrant('code was issued to another client');
    const redirectUri = param(body, 'redirect_uri');
    if (redirectUri === undefined) throw new InvalidRequest('redirect_uri is required');
    if (redirectUri !== row.redirectUri) throw new InvalidGrant('redirect_uri does not match');
    // RFC 7636 §4.6 / SMART: verifier present, well-formed and matching (T5, T6, g10 invalid PKCE).
    const verifier = param(body, 'code_verifier') ?? '';
    if (!VERIFIER.test(verifier) || !safeEqual(s256(verifier), row.codeChallenge)) throw new InvalidGrant('code_verifier does not match');
    if (!(await this.grants.consumeCode(code))) {
      await this.grants.revokeGrant(row.grantId);
      throw new InvalidGrant('code was already used');
    }
    const grant = await this.grants.grant(row.grantId);
    if (!grant || grant.revoked) throw new InvalidGrant('authorization was revoked');
    const issued = await this.issuer.issue(grant, grant.context.scope);
    await this.grants.recordTokenIssued(grant);
    return issued;
  }

  private async refresh(body: Record<string, unknown>, authenticated: AuthenticatedClient | undefined): Promise<TokenResponse> {
    const token = param(body, 'refresh_token');
    if (!token) throw new InvalidRequest('refresh_token is required');
    const row = await this.grants.findRefreshToken(token);
    if (!row) throw new InvalidGrant('unknown refresh token');
    // SMART: "bound to the same client_id" (R3). A public client may omit client_id (R8, fhirclient).
    const client = authenticated?.client ?? this.config.smartClients.find((c) => c.clientId === row.clientId);
    if (!client) throw new InvalidGrant('unknown refresh token');
    if (!authenticated && client.auth !== 'none') throw new InvalidClient('client authentication required');
    if (client.clientId !== row.clientId) throw new InvalidGrant('refresh token was issued to another client');
    // RFC 9700 §4.14.2: reuse of a rotated refresh token revokes the whole family (R2).
    if (row.used) {
      await this.grants.revokeGrant(row.grantId);
      throw new InvalidGrant('refresh token was already used');
    }
    const grant = await this.grants.grant(row.grantId);
    if (!grant || grant.revoked || row.revoked || row.expiresAt.getTime() <= Date.now()) throw new InvalidGrant('refresh token is no longer valid');
    // SMART step 7: `scope` must be a subset of the original grant; missing = the same (R4).
    const scope = param(body, 'scope') ?? row.scope;
    if (!isScopeSubset(scope, row.scope)) throw new InvalidScope('scope exceeds the original grant');
    if (!(await this.grants.useRefreshToken(token))) {
      await this.grants.revokeGrant(row.grantId);
      throw new InvalidGrant('refresh token was already used');
    }
    return this.issuer.issue(grant, scope);
  }

  /** SMART backend-services.md: private_key_jwt clients only, system/ scopes within the registration, no refresh token. */
  private async clientCredentials(body: Record<string, unknown>, authenticated: AuthenticatedClient | undefined): Promise<TokenResponse> {
    if (!authenticated) throw new InvalidClient('client authentication required');
    if (authenticated.method !== 'private_key_jwt') throw new UnauthorizedClient('client_credentials requires private_key_jwt');
    const requested = param(body, 'scope')?.trim();
    if (!requested) throw new InvalidScope('scope is required');
    // backend-services.md: "the scope requested is within the scope pre-authorized to the client" (J10).
    if (!isSystemScopeWithin(requested, authenticated.client.scope)) throw new InvalidScope('scope is outside what this client is registered for');
    const scope = scopeWords(requested).join(' ');
    const grantId = await this.grants.createGrant(authenticated.client.clientId, { scope, kind: 'backend', partition: DEMO_PARTITION });
    const grant = await this.grants.grant(grantId);
    return this.issuer.issue(grant!, scope);
  }
}

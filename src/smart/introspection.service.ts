import { Inject, Injectable } from '@nestjs/common';
import { APP_CONFIG, type AppConfig } from '../config/app-config.js';
import { AccessTokenVerifier, bearerToken } from './access-token.verifier.js';
import { ClientAuthenticator, type ClientCredentials } from './client-auth.js';
import { INTROSPECT_SCOPE } from './discovery.js';
import { type Grant, GrantStore } from './grant-store.js';
import { scopeWords } from './grant-scopes.js';
import { InvalidClient, InvalidRequest, UnsupportedTokenType } from './oauth-errors.js';
import { param } from './oauth-params.js';
import { smartUrls } from './smart-urls.js';
import { launchContext } from './token-issuer.js';

/** RFC 7009 §2.1 / RFC 7662 §2.1 `token_type_hint` values we know. */
const HINTS = ['access_token', 'refresh_token'];

function tokenParam(body: Record<string, unknown>): string {
  const token = param(body, 'token');
  if (!token) throw new InvalidRequest('token is required');
  const hint = body.token_type_hint;
  if (hint !== undefined && !HINTS.includes(String(hint))) throw new UnsupportedTokenType('token_type_hint is not supported');
  return token;
}

interface ResolvedToken {
  grant: Grant;
  scope: string;
  exp: number;
  iat?: number;
  kind: 'access_token' | 'refresh_token';
  jti?: string;
}

/** Token introspection (RFC 7662, SMART token-introspection.md) and revocation (RFC 7009). */
@Injectable()
export class IntrospectionService {
  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly auth: ClientAuthenticator,
    private readonly verifier: AccessTokenVerifier,
    private readonly grants: GrantStore,
  ) {}

  /**
   * Callers authenticate as a confidential client (and see only their own tokens), or present a
   * bearer token with `__introspect` (and may introspect any client's tokens, SMART I2).
   */
  async introspect(creds: ClientCredentials): Promise<Record<string, unknown>> {
    const callerClientId = await this.caller(creds);
    const token = tokenParam(creds.body);
    const resolved = await this.resolve(token);
    // RFC 7662 §2.2: inactive → only `active: false` (I3).
    if (!resolved || (callerClientId !== null && resolved.grant.clientId !== callerClientId)) return { active: false };
    const u = smartUrls(this.config);
    const ctx = resolved.grant.context;
    const identity =
      scopeWords(resolved.scope).includes('openid') && ctx.fhirUser ? { iss: u.issuer, sub: ctx.fhirUser, fhirUser: `${u.fhirBase}/${ctx.fhirUser}` } : {};
    return {
      active: true,
      scope: resolved.scope,
      client_id: resolved.grant.clientId,
      exp: resolved.exp,
      iat: resolved.iat,
      token_type: resolved.kind === 'access_token' ? 'Bearer' : 'refresh_token',
      aud: u.fhirBase,
      ...identity,
      ...launchContext(resolved.grant, u.style),
      // RFC 9396 §9.2 and RFC 9470 §3: an override token's details and how its user authenticated.
      ...(ctx.override ? { authorization_details: ctx.override.details, acr: ctx.override.acr, auth_time: ctx.override.authTime } : {}),
    };
  }

  /** RFC 7009 §2.1: the client revokes its own tokens; unknown tokens still answer 200 (V1). */
  async revoke(creds: ClientCredentials): Promise<void> {
    const client = await this.auth.authenticate(creds);
    if (!client) throw new InvalidClient('client identification required');
    const token = tokenParam(creds.body);
    const resolved = await this.resolve(token);
    if (!resolved || resolved.grant.clientId !== client.client.clientId) return;
    // Revoking a refresh token ends the grant with all its access tokens (RFC 7009 §2.1 SHOULD; V2).
    if (resolved.kind === 'refresh_token') await this.grants.revokeGrant(resolved.grant.id);
    else await this.grants.revokeAccessToken(resolved.jti!);
  }

  /** null = may introspect any client's token; otherwise the authenticated confidential client's id. */
  private async caller(creds: ClientCredentials): Promise<string | null> {
    const bearer = bearerToken(creds.authorization);
    if (bearer !== undefined) {
      const active = await this.verifier.verify(bearer);
      if (!active || !scopeWords(active.claims.scope).includes(INTROSPECT_SCOPE)) throw new InvalidClient('bearer token lacks the introspection scope');
      return null;
    }
    const client = await this.auth.authenticate(creds);
    // RFC 7662 §2.1: the endpoint MUST require authorization; public clients cannot authenticate (I1).
    if (!client || client.method === 'none') throw new InvalidClient('introspection requires client authentication', creds.authorization !== undefined);
    return client.client.clientId;
  }

  private async resolve(token: string): Promise<ResolvedToken | undefined> {
    const access = await this.verifier.verify(token);
    if (access) {
      return { grant: access.grant, scope: access.claims.scope, exp: access.claims.exp, iat: access.claims.iat, kind: 'access_token', jti: access.claims.jti };
    }
    const refresh = await this.grants.findRefreshToken(token);
    if (!refresh || refresh.used || refresh.revoked || refresh.expiresAt.getTime() <= Date.now()) return undefined;
    const grant = await this.grants.grant(refresh.grantId);
    if (!grant || grant.revoked) return undefined;
    return { grant, scope: refresh.scope, exp: Math.floor(refresh.expiresAt.getTime() / 1000), kind: 'refresh_token' };
  }
}

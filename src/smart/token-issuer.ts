import { randomUUID } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { APP_CONFIG, type AppConfig } from '../config/app-config.js';
import { type Grant, GrantStore } from './grant-store.js';
import { scopeWords } from './grant-scopes.js';
import { KeysService } from './keys.service.js';
import type { OverrideDetail } from './override/override-types.js';
import { smartUrls } from './smart-urls.js';

/** SMART app-launch.md step 5 token response (plus the CDS Hooks `appContext`). */
export interface TokenResponse {
  access_token: string;
  token_type: 'Bearer';
  expires_in: number;
  scope: string;
  refresh_token?: string;
  id_token?: string;
  patient?: string;
  encounter?: string;
  fhirContext?: unknown[];
  appContext?: string;
  need_patient_banner?: boolean;
  smart_style_url?: string;
  /** RFC 9396 §7: the granted authorization details of a step-up override. */
  authorization_details?: OverrideDetail[];
}

/** id_tokens are only for signing in; five minutes is plenty (smart-auth.md §3.5 L1 "id_token short"). */
const ID_TOKEN_SECONDS = 300;

/** How long an online_access authorization lasts: one clinical shift. */
export const ONLINE_SESSION_SECONDS = 8 * 3600;

/** Issues access, refresh and id tokens for a grant and records them so they can be revoked. */
@Injectable()
export class TokenIssuer {
  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly keys: KeysService,
    private readonly grants: GrantStore,
  ) {}

  async issue(grant: Grant, scope: string): Promise<TokenResponse> {
    const u = smartUrls(this.config);
    const ctx = grant.context;
    const words = scopeWords(scope);
    // SMART backend-services.md: expires_in SHOULD NOT exceed 300; app-launch.md: at most one hour.
    // DESIGN.md "Override token": `lifetimes.override`, short.
    const lifetime = ctx.override ? this.config.lifetimes.override : ctx.kind === 'backend' ? this.config.lifetimes.backendAccessToken : this.config.lifetimes.accessToken;
    const now = Math.floor(Date.now() / 1000);
    const jti = randomUUID();
    // RFC 9068 claims; `aud` = the FHIR base restricts the token to our resource server (RFC 9700 §2.3).
    const accessToken = await this.keys.sign(
      {
        iss: u.issuer,
        aud: u.fhirBase,
        sub: ctx.fhirUser ?? grant.clientId,
        client_id: grant.clientId,
        scope,
        patient: ctx.patient,
        encounter: ctx.encounter,
        fhirUser: ctx.fhirUser,
        // RFC 9396 §9.1 and RFC 9470 §3: the override token carries what it authorizes and how the user authenticated.
        ...(ctx.override ? { authorization_details: ctx.override.details, acr: ctx.override.acr, auth_time: ctx.override.authTime } : {}),
        jti,
        iat: now,
        exp: now + lifetime,
      },
      'at+jwt',
    );
    await this.grants.recordAccessToken(jti, grant.id, grant.clientId, new Date((now + lifetime) * 1000));
    const response: TokenResponse = { access_token: accessToken, token_type: 'Bearer', expires_in: lifetime, scope };
    if (ctx.kind === 'backend') return response;
    if (ctx.override) response.authorization_details = ctx.override.details;

    // SMART scopes-and-launch-context.md: refresh tokens only with offline_access / online_access; never for an override (single use).
    if (!ctx.override && (words.includes('offline_access') || words.includes('online_access'))) {
      response.refresh_token = await this.grants.createRefreshToken(grant.id, grant.clientId, scope, this.refreshExpiry(grant, words));
    }
    // SMART "Scopes for requesting identity data": id_token when openid + fhirUser are granted.
    if (words.includes('openid') && words.includes('fhirUser') && ctx.fhirUser) {
      response.id_token = await this.keys.sign({
        iss: u.issuer,
        sub: ctx.fhirUser,
        aud: grant.clientId,
        fhirUser: `${u.fhirBase}/${ctx.fhirUser}`,
        nonce: ctx.nonce,
        iat: now,
        exp: now + ID_TOKEN_SECONDS,
      });
    }
    return { ...response, ...launchContext(grant, u.style) };
  }

  /**
   * offline_access: `lifetimes.refreshToken` from now (rotation renews it). online_access alone
   * (SMART: usable while the user is online) ends with the sign-in session the grant came from,
   * which we bound to ONLINE_SESSION_SECONDS after authorization, however often it is rotated.
   */
  private refreshExpiry(grant: Grant, words: readonly string[]): Date {
    const offline = Date.now() + this.config.lifetimes.refreshToken * 1000;
    if (words.includes('offline_access')) return new Date(offline);
    return new Date(Math.min(offline, grant.createdAt.getTime() + ONLINE_SESSION_SECONDS * 1000));
  }
}

/** The launch context members of token and introspection responses (SMART app-launch.md step 5). */
export function launchContext(grant: Grant, styleUrl: string): Partial<TokenResponse> {
  const ctx = grant.context;
  if (ctx.kind === 'backend') return {};
  return {
    patient: ctx.patient,
    encounter: ctx.encounter,
    fhirContext: ctx.fhirContext,
    appContext: ctx.appContext,
    need_patient_banner: ctx.needPatientBanner ?? true,
    smart_style_url: styleUrl,
  };
}

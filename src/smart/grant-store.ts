import { randomUUID } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { type GrantRow, GrantsRepository } from './grants.repository.js';
import { LaunchEventsRepository } from './launch-events.repository.js';
import type { FhirContextItem } from './launch.service.js';
import type { OverrideGrant } from './override/override-types.js';
import { randomToken, sha256Hex } from './secrets.js';

/** Everything an authorization carries from /authorize to every token issued from it. */
export interface GrantContext {
  scope: string;
  /** `ehr` and `standalone` come from /authorize; `backend` from client_credentials. */
  kind: 'ehr' | 'standalone' | 'backend';
  fhirUser?: string;
  patient?: string;
  encounter?: string;
  fhirContext?: FhirContextItem[];
  appContext?: string;
  needPatientBanner?: boolean;
  nonce?: string;
  /** Data partition of the /fhir endpoint this grant reads (hookInstance of an EHR launch, else `demo`). */
  partition: string;
  /** The CDS service whose card launched the app, so /fhir can apply that service's write rules (DESIGN.md flow 5). */
  serviceId?: string;
  /** The hook call whose card launched the app. */
  hookInstance?: string;
  /** The card whose link minted the launch, so the launch funnel can be counted per card rule. */
  cardUuid?: string;
  /** A step-up override (DESIGN.md flow 5): what this grant's one write may do that the base grant's may not. */
  override?: OverrideGrant;
}

export interface Grant {
  id: string;
  clientId: string;
  context: GrantContext;
  revoked: boolean;
  createdAt: Date;
}

export interface IssuedCode {
  grantId: string;
  clientId: string;
  redirectUri: string;
  codeChallenge: string;
  /** The issuer URL of the authorization server that issued it (RFC 9207); null for codes older than the binding. */
  issuer: string | null;
  expiresAt: Date;
  consumed: boolean;
}

export interface IssuedRefreshToken {
  grantId: string;
  clientId: string;
  scope: string;
  expiresAt: Date;
  used: boolean;
  revoked: boolean;
}

/**
 * Grants and the secrets issued from them: mints codes and refresh tokens, keeps only their sha256
 * (GrantsRepository), and answers in the shapes the token endpoint works with.
 */
@Injectable()
export class GrantStore {
  constructor(
    @Inject(GrantsRepository) private readonly repository: GrantsRepository,
    @Inject(LaunchEventsRepository) private readonly launchEvents: LaunchEventsRepository,
  ) {}

  /** Stores an authorization; one launched from a card link is the funnel's `authorized` step. */
  async createGrant(clientId: string, context: GrantContext): Promise<string> {
    const id = randomUUID();
    const now = new Date();
    await this.repository.insertGrant({ id, client_id: clientId, context, created_at: now });
    await this.recordLaunchStep('authorized', clientId, context, now);
    return id;
  }

  /** The funnel's last step: the code of a grant launched from a card link was redeemed for tokens. */
  async recordTokenIssued(grant: Grant): Promise<void> {
    await this.recordLaunchStep('token_issued', grant.clientId, grant.context, new Date());
  }

  private async recordLaunchStep(event: 'authorized' | 'token_issued', clientId: string, context: GrantContext, at: Date): Promise<void> {
    if (context.cardUuid === undefined || context.serviceId === undefined) return;
    await this.launchEvents.insert({ event, serviceId: context.serviceId, cardUuid: context.cardUuid, clientId, at });
  }

  async grant(id: string): Promise<Grant | undefined> {
    const row = await this.repository.findGrant(id);
    return row && toGrant(row);
  }

  /** Revokes the grant and with it every access and refresh token issued from it (RFC 6749 §4.1.2, RFC 9700 §4.14.2). */
  async revokeGrant(id: string): Promise<void> {
    await this.repository.revokeGrant(id, new Date());
  }

  async createCode(grantId: string, clientId: string, redirectUri: string, codeChallenge: string, issuer: string, ttlSeconds: number): Promise<string> {
    const code = randomToken();
    await this.repository.insertCode({
      code_hash: sha256Hex(code),
      grant_id: grantId,
      client_id: clientId,
      redirect_uri: redirectUri,
      code_challenge: codeChallenge,
      issuer,
      expires_at: new Date(Date.now() + ttlSeconds * 1000),
    });
    return code;
  }

  /** True when a code was already issued for this PKCE challenge. */
  challengeSeen(codeChallenge: string): Promise<boolean> {
    return this.repository.challengeSeen(codeChallenge);
  }

  async findCode(code: string): Promise<IssuedCode | undefined> {
    const row = await this.repository.findCode(sha256Hex(code));
    return (
      row && {
        grantId: row.grant_id,
        clientId: row.client_id,
        redirectUri: row.redirect_uri,
        codeChallenge: row.code_challenge,
        issuer: row.issuer,
        expiresAt: row.expires_at,
        consumed: row.consumed_at !== null,
      }
    );
  }

  /** Marks the code used; false when another request got there first. */
  consumeCode(code: string): Promise<boolean> {
    return this.repository.consumeCode(sha256Hex(code), new Date());
  }

  async createRefreshToken(grantId: string, clientId: string, scope: string, expiresAt: Date): Promise<string> {
    const token = randomToken();
    await this.repository.insertRefreshToken({ token_hash: sha256Hex(token), grant_id: grantId, client_id: clientId, scope, expires_at: expiresAt });
    return token;
  }

  async findRefreshToken(token: string): Promise<IssuedRefreshToken | undefined> {
    const row = await this.repository.findRefreshToken(sha256Hex(token));
    return (
      row && {
        grantId: row.grant_id,
        clientId: row.client_id,
        scope: row.scope,
        expiresAt: row.expires_at,
        used: row.used_at !== null,
        revoked: row.revoked_at !== null,
      }
    );
  }

  /** Rotation: marks the refresh token used; false when it already was (reuse). */
  useRefreshToken(token: string): Promise<boolean> {
    return this.repository.useRefreshToken(sha256Hex(token), new Date());
  }

  async recordAccessToken(jti: string, grantId: string, clientId: string, expiresAt: Date): Promise<void> {
    await this.repository.insertAccessToken({ jti, grant_id: grantId, client_id: clientId, expires_at: expiresAt });
  }

  /** The grant of an access token that is unexpired and neither it nor its grant revoked. */
  async activeAccessTokenGrant(jti: string): Promise<Grant | undefined> {
    const row = await this.repository.activeAccessTokenGrant(jti, new Date());
    return row && toGrant(row);
  }

  async revokeAccessToken(jti: string): Promise<void> {
    await this.repository.revokeAccessToken(jti, new Date());
  }
}

function toGrant(row: GrantRow): Grant {
  return { id: row.id, clientId: row.client_id, context: row.context, revoked: row.revoked_at !== null, createdAt: row.created_at };
}

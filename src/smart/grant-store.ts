import { randomUUID } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { DATABASE, type Database } from '../store/database.js';
import type { FhirContextItem } from './launch.service.js';
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
}

export interface Grant {
  id: string;
  clientId: string;
  context: GrantContext;
  revoked: boolean;
  createdAt: Date;
}

export interface CodeRow {
  grantId: string;
  clientId: string;
  redirectUri: string;
  codeChallenge: string;
  expiresAt: Date;
  consumed: boolean;
}

export interface RefreshRow {
  grantId: string;
  clientId: string;
  scope: string;
  expiresAt: Date;
  used: boolean;
  revoked: boolean;
}

/**
 * Persistence of grants and the secrets issued from them. Codes and refresh tokens are stored as
 * sha256 only; "used"/"consumed" transitions are single atomic UPDATEs so two instances can never
 * both redeem the same secret.
 */
@Injectable()
export class GrantStore {
  constructor(@Inject(DATABASE) private readonly db: Database) {}

  async createGrant(clientId: string, context: GrantContext): Promise<string> {
    const id = randomUUID();
    await this.db.query('INSERT INTO smart_grants (id, client_id, context, created_at) VALUES ($1, $2, $3, $4)', [
      id,
      clientId,
      JSON.stringify(context),
      new Date(),
    ]);
    return id;
  }

  async grant(id: string): Promise<Grant | undefined> {
    const [row] = await this.db.query<{ id: string; client_id: string; context: GrantContext; revoked_at: Date | null; created_at: Date }>(
      'SELECT id, client_id, context, revoked_at, created_at FROM smart_grants WHERE id = $1',
      [id],
    );
    return row && { id: row.id, clientId: row.client_id, context: row.context, revoked: row.revoked_at !== null, createdAt: row.created_at };
  }

  /** Revokes the grant and with it every access and refresh token issued from it (RFC 6749 §4.1.2, RFC 9700 §4.14.2). */
  async revokeGrant(id: string): Promise<void> {
    await this.db.query('UPDATE smart_grants SET revoked_at = $2 WHERE id = $1 AND revoked_at IS NULL', [id, new Date()]);
  }

  async createCode(grantId: string, clientId: string, redirectUri: string, codeChallenge: string, ttlSeconds: number): Promise<string> {
    const code = randomToken();
    await this.db.query(
      'INSERT INTO smart_codes (code_hash, grant_id, client_id, redirect_uri, code_challenge, expires_at) VALUES ($1, $2, $3, $4, $5, $6)',
      [sha256Hex(code), grantId, clientId, redirectUri, codeChallenge, new Date(Date.now() + ttlSeconds * 1000)],
    );
    return code;
  }

  /** True when a code was already issued for this PKCE challenge. */
  async challengeSeen(codeChallenge: string): Promise<boolean> {
    return (await this.db.query('SELECT 1 FROM smart_codes WHERE code_challenge = $1 LIMIT 1', [codeChallenge])).length > 0;
  }

  async findCode(code: string): Promise<CodeRow | undefined> {
    const [row] = await this.db.query<{
      grant_id: string;
      client_id: string;
      redirect_uri: string;
      code_challenge: string;
      expires_at: Date;
      consumed_at: Date | null;
    }>('SELECT grant_id, client_id, redirect_uri, code_challenge, expires_at, consumed_at FROM smart_codes WHERE code_hash = $1', [
      sha256Hex(code),
    ]);
    return (
      row && {
        grantId: row.grant_id,
        clientId: row.client_id,
        redirectUri: row.redirect_uri,
        codeChallenge: row.code_challenge,
        expiresAt: row.expires_at,
        consumed: row.consumed_at !== null,
      }
    );
  }

  /** Marks the code used; false when another request got there first. */
  async consumeCode(code: string): Promise<boolean> {
    const rows = await this.db.query('UPDATE smart_codes SET consumed_at = $2 WHERE code_hash = $1 AND consumed_at IS NULL RETURNING 1', [
      sha256Hex(code),
      new Date(),
    ]);
    return rows.length === 1;
  }

  async createRefreshToken(grantId: string, clientId: string, scope: string, expiresAt: Date): Promise<string> {
    const token = randomToken();
    await this.db.query(
      'INSERT INTO smart_refresh_tokens (token_hash, grant_id, client_id, scope, expires_at) VALUES ($1, $2, $3, $4, $5)',
      [sha256Hex(token), grantId, clientId, scope, expiresAt],
    );
    return token;
  }

  async findRefreshToken(token: string): Promise<RefreshRow | undefined> {
    const [row] = await this.db.query<{
      grant_id: string;
      client_id: string;
      scope: string;
      expires_at: Date;
      used_at: Date | null;
      revoked_at: Date | null;
    }>('SELECT grant_id, client_id, scope, expires_at, used_at, revoked_at FROM smart_refresh_tokens WHERE token_hash = $1', [sha256Hex(token)]);
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
  async useRefreshToken(token: string): Promise<boolean> {
    const rows = await this.db.query(
      'UPDATE smart_refresh_tokens SET used_at = $2 WHERE token_hash = $1 AND used_at IS NULL RETURNING 1',
      [sha256Hex(token), new Date()],
    );
    return rows.length === 1;
  }

  async recordAccessToken(jti: string, grantId: string, clientId: string, expiresAt: Date): Promise<void> {
    await this.db.query('INSERT INTO smart_access_tokens (jti, grant_id, client_id, expires_at) VALUES ($1, $2, $3, $4)', [
      jti,
      grantId,
      clientId,
      expiresAt,
    ]);
  }

  /** The grant of an access token that is unexpired and neither it nor its grant revoked. */
  async activeAccessTokenGrant(jti: string): Promise<Grant | undefined> {
    const [row] = await this.db.query<{ id: string; client_id: string; context: GrantContext; created_at: Date }>(
      `SELECT g.id, g.client_id, g.context, g.created_at FROM smart_access_tokens t JOIN smart_grants g ON g.id = t.grant_id
        WHERE t.jti = $1 AND t.revoked_at IS NULL AND g.revoked_at IS NULL AND t.expires_at > $2`,
      [jti, new Date()],
    );
    return row && { id: row.id, clientId: row.client_id, context: row.context, revoked: false, createdAt: row.created_at };
  }

  async revokeAccessToken(jti: string): Promise<void> {
    await this.db.query('UPDATE smart_access_tokens SET revoked_at = $2 WHERE jti = $1 AND revoked_at IS NULL', [jti, new Date()]);
  }

  /** SMART client-confidential-asymmetric.md: records a client assertion `jti`; false when seen before. */
  async recordAssertionJti(clientId: string, jti: string, expiresAt: Date): Promise<boolean> {
    await this.db.query('DELETE FROM smart_assertion_jtis WHERE expires_at < $1', [new Date(Date.now() - 600_000)]);
    const rows = await this.db.query(
      'INSERT INTO smart_assertion_jtis (client_id, jti, expires_at) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING RETURNING 1',
      [clientId, jti, expiresAt],
    );
    return rows.length === 1;
  }
}

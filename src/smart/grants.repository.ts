import { Inject, Injectable } from '@nestjs/common';
import { DATABASE, type Database } from '../store/database.js';
import type { GrantContext } from './grant-store.js';

/** One row of smart_grants: an authorization, the family of every secret issued from it. */
export interface GrantRow {
  id: string;
  client_id: string;
  context: GrantContext;
  created_at: Date;
  revoked_at: Date | null;
}

/** One row of smart_codes; the code itself is stored as its sha256 only. */
export interface CodeRow {
  code_hash: string;
  grant_id: string;
  client_id: string;
  redirect_uri: string;
  code_challenge: string;
  /** The authorization server (its issuer URL) that issued the code; null for codes older than the column. */
  issuer: string | null;
  expires_at: Date;
  consumed_at: Date | null;
}

const CODE_COLUMNS = 'code_hash, grant_id, client_id, redirect_uri, code_challenge, issuer, expires_at, consumed_at';

/** One row of smart_refresh_tokens; the token itself is stored as its sha256 only. */
export interface RefreshTokenRow {
  token_hash: string;
  grant_id: string;
  client_id: string;
  scope: string;
  expires_at: Date;
  used_at: Date | null;
  revoked_at: Date | null;
}

const REFRESH_TOKEN_COLUMNS = 'token_hash, grant_id, client_id, scope, expires_at, used_at, revoked_at';

/** One row of smart_access_tokens: the `jti` of an access token we issued, so it can be revoked. */
export interface AccessTokenRow {
  jti: string;
  grant_id: string;
  client_id: string;
  expires_at: Date;
}

/**
 * Grants and the secrets issued from them (smart_grants, smart_codes, smart_refresh_tokens,
 * smart_access_tokens). "Used"/"consumed" transitions are single conditional UPDATEs, so two
 * instances can never both redeem the same secret.
 */
@Injectable()
export class GrantsRepository {
  constructor(@Inject(DATABASE) private readonly db: Database) {}

  async insertGrant(row: Omit<GrantRow, 'revoked_at'>): Promise<void> {
    await this.db.query(
      'INSERT INTO smart_grants (id, client_id, context, created_at) VALUES ($1, $2, $3, $4)',
      [row.id, row.client_id, JSON.stringify(row.context), row.created_at],
    );
  }

  findGrant(id: string): Promise<GrantRow | undefined> {
    return this.one<GrantRow>('SELECT id, client_id, context, created_at, revoked_at FROM smart_grants WHERE id = $1', [id]);
  }

  async revokeGrant(id: string, at: Date): Promise<void> {
    await this.db.query('UPDATE smart_grants SET revoked_at = $2 WHERE id = $1 AND revoked_at IS NULL', [id, at]);
  }

  async insertCode(row: Omit<CodeRow, 'consumed_at'>): Promise<void> {
    await this.db.query(
      'INSERT INTO smart_codes (code_hash, grant_id, client_id, redirect_uri, code_challenge, issuer, expires_at) VALUES ($1, $2, $3, $4, $5, $6, $7)',
      [row.code_hash, row.grant_id, row.client_id, row.redirect_uri, row.code_challenge, row.issuer, row.expires_at],
    );
  }

  /** True when a code was already issued for this PKCE challenge. */
  async challengeSeen(codeChallenge: string): Promise<boolean> {
    return (await this.db.query('SELECT 1 FROM smart_codes WHERE code_challenge = $1 LIMIT 1', [codeChallenge])).length > 0;
  }

  findCode(codeHash: string): Promise<CodeRow | undefined> {
    return this.one<CodeRow>(`SELECT ${CODE_COLUMNS} FROM smart_codes WHERE code_hash = $1`, [codeHash]);
  }

  /** Marks the code used; false when another request got there first. */
  consumeCode(codeHash: string, at: Date): Promise<boolean> {
    return this.once('UPDATE smart_codes SET consumed_at = $2 WHERE code_hash = $1 AND consumed_at IS NULL RETURNING 1', codeHash, at);
  }

  async insertRefreshToken(row: Omit<RefreshTokenRow, 'used_at' | 'revoked_at'>): Promise<void> {
    await this.db.query(
      'INSERT INTO smart_refresh_tokens (token_hash, grant_id, client_id, scope, expires_at) VALUES ($1, $2, $3, $4, $5)',
      [row.token_hash, row.grant_id, row.client_id, row.scope, row.expires_at],
    );
  }

  findRefreshToken(tokenHash: string): Promise<RefreshTokenRow | undefined> {
    return this.one<RefreshTokenRow>(`SELECT ${REFRESH_TOKEN_COLUMNS} FROM smart_refresh_tokens WHERE token_hash = $1`, [tokenHash]);
  }

  /** Marks the refresh token used; false when it already was. */
  useRefreshToken(tokenHash: string, at: Date): Promise<boolean> {
    return this.once('UPDATE smart_refresh_tokens SET used_at = $2 WHERE token_hash = $1 AND used_at IS NULL RETURNING 1', tokenHash, at);
  }

  async insertAccessToken(row: AccessTokenRow): Promise<void> {
    await this.db.query(
      'INSERT INTO smart_access_tokens (jti, grant_id, client_id, expires_at) VALUES ($1, $2, $3, $4)',
      [row.jti, row.grant_id, row.client_id, row.expires_at],
    );
  }

  /** The grant of an access token that is unexpired at `now` and neither it nor its grant revoked. */
  activeAccessTokenGrant(jti: string, now: Date): Promise<GrantRow | undefined> {
    return this.one<GrantRow>(
      `SELECT g.id, g.client_id, g.context, g.created_at, g.revoked_at FROM smart_access_tokens t JOIN smart_grants g ON g.id = t.grant_id
        WHERE t.jti = $1 AND t.revoked_at IS NULL AND g.revoked_at IS NULL AND t.expires_at > $2`,
      [jti, now],
    );
  }

  async revokeAccessToken(jti: string, at: Date): Promise<void> {
    await this.db.query('UPDATE smart_access_tokens SET revoked_at = $2 WHERE jti = $1 AND revoked_at IS NULL', [jti, at]);
  }

  /** Deletes access and refresh tokens expired before `now`, and codes expired before `codesBefore`. */
  async purgeExpired(now: Date, codesBefore: Date): Promise<void> {
    await this.db.query('DELETE FROM smart_codes WHERE expires_at < $1', [codesBefore]);
    await this.db.query('DELETE FROM smart_access_tokens WHERE expires_at < $1', [now]);
    await this.db.query('DELETE FROM smart_refresh_tokens WHERE expires_at < $1', [now]);
  }

  /** Runs a conditional UPDATE of the secret `hash` at `at`: true only for the one request whose UPDATE took. */
  private async once(sql: string, hash: string, at: Date): Promise<boolean> {
    return (await this.db.query(sql, [hash, at])).length === 1;
  }

  /** The row a keyed lookup finds, if any. */
  private async one<T>(sql: string, params: unknown[]): Promise<T | undefined> {
    return (await this.db.query<T>(sql, params))[0];
  }
}

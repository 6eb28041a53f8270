import { generateKeyPairSync, randomBytes } from 'node:crypto';
import { Inject, Injectable, type OnModuleInit } from '@nestjs/common';
import { importJWK, type JWK, SignJWT, type JWTPayload } from 'jose';
import { DATABASE, type Database } from '../store/database.js';

// Any constant works; it only has to be the same for every instance generating the first key.
const KEY_LOCK = 0x536d6172;
/** Retired keys stay in the JWKS this long so tokens they signed can still be verified (max AT lifetime + margin). */
const RETIRED_PUBLISHED_MS = 2 * 3600 * 1000;

interface KeyRow {
  kid: string;
  private_jwk: JWK;
  public_jwk: JWK;
  created_at: Date;
  retired_at: Date | null;
}

/**
 * The RS256 signing keys of the authorization server, generated on first start and persisted in
 * the database so every instance signs and verifies with the same keys (DESIGN.md configuration
 * contract: "generated and persisted on first start when absent").
 */
@Injectable()
export class KeysService implements OnModuleInit {
  constructor(@Inject(DATABASE) private readonly db: Database) {}

  async onModuleInit(): Promise<void> {
    await this.db.transaction(async (tx) => {
      await tx.query('SELECT pg_advisory_xact_lock($1)', [KEY_LOCK]);
      const active = await tx.query('SELECT kid FROM smart_signing_keys WHERE retired_at IS NULL');
      if (active.length === 0) await this.insertKey(tx);
    });
  }

  /** Adds a new active key and retires the previous ones; their public halves stay in the JWKS. */
  async rotate(): Promise<string> {
    return this.db.transaction(async (tx) => {
      await tx.query('SELECT pg_advisory_xact_lock($1)', [KEY_LOCK]);
      await tx.query('UPDATE smart_signing_keys SET retired_at = $1 WHERE retired_at IS NULL', [new Date()]);
      return this.insertKey(tx);
    });
  }

  /** Public JWKS (OIDC Discovery `jwks_uri`): the active key and recently retired ones. */
  async jwks(): Promise<{ keys: JWK[] }> {
    const since = new Date(Date.now() - RETIRED_PUBLISHED_MS);
    const rows = await this.db.query<KeyRow>(
      'SELECT kid, public_jwk FROM smart_signing_keys WHERE retired_at IS NULL OR retired_at > $1 ORDER BY created_at DESC',
      [since],
    );
    return { keys: rows.map((r) => r.public_jwk) };
  }

  /** The public JWK for `kid`, if it is still published. */
  async publicKey(kid: string): Promise<JWK | undefined> {
    return (await this.jwks()).keys.find((k) => k.kid === kid);
  }

  /** Signs `payload` with the active key (RS256, `kid` in the header). */
  async sign(payload: JWTPayload, typ = 'JWT'): Promise<string> {
    const [row] = await this.db.query<KeyRow>(
      'SELECT kid, private_jwk FROM smart_signing_keys WHERE retired_at IS NULL ORDER BY created_at DESC LIMIT 1',
    );
    const key = await importJWK(row.private_jwk, 'RS256');
    return new SignJWT(payload).setProtectedHeader({ alg: 'RS256', kid: row.kid, typ }).sign(key);
  }

  private async insertKey(tx: Pick<Database, 'query'>): Promise<string> {
    const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
    const kid = randomBytes(12).toString('base64url');
    const meta = { kid, alg: 'RS256', use: 'sig' };
    await tx.query(
      'INSERT INTO smart_signing_keys (kid, alg, private_jwk, public_jwk, created_at) VALUES ($1, $2, $3, $4, $5)',
      [
        kid,
        'RS256',
        JSON.stringify({ ...privateKey.export({ format: 'jwk' }), ...meta }),
        JSON.stringify({ ...publicKey.export({ format: 'jwk' }), ...meta }),
        new Date(),
      ],
    );
    return kid;
  }
}

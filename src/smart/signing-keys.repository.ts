import { Inject, Injectable } from '@nestjs/common';
import type { JWK } from 'jose';
import { DATABASE, type Database, type Queryable } from '../store/database.js';

// Any constant works; it only has to be the same for every instance generating or rotating keys.
const KEY_LOCK = 0x536d6172;

/** One row of smart_signing_keys. */
export interface SigningKeyRow {
  kid: string;
  alg: string;
  private_jwk: JWK;
  public_jwk: JWK;
  created_at: Date;
  retired_at: Date | null;
}

/** The authorization server's signing keys (smart_signing_keys), shared by every instance. */
@Injectable()
export class SigningKeysRepository {
  constructor(@Inject(DATABASE) private readonly db: Database) {}

  /** Stores `create()` as the active key unless one is active; instances starting together store one. */
  async insertIfNoneActive(create: () => SigningKeyRow): Promise<void> {
    await this.db.transaction(async (tx) => {
      await tx.query('SELECT pg_advisory_xact_lock($1)', [KEY_LOCK]);
      const active = await tx.query('SELECT kid FROM smart_signing_keys WHERE retired_at IS NULL');
      if (active.length === 0) await insertKey(tx, create());
    });
  }

  /** Retires every active key at `key.created_at` and stores `key` as the active one, in one transaction. */
  async rotate(key: SigningKeyRow): Promise<void> {
    await this.db.transaction(async (tx) => {
      await tx.query('SELECT pg_advisory_xact_lock($1)', [KEY_LOCK]);
      await tx.query('UPDATE smart_signing_keys SET retired_at = $1 WHERE retired_at IS NULL', [key.created_at]);
      await insertKey(tx, key);
    });
  }

  /** The active keys and those retired after `retiredSince`, newest first. */
  async published(retiredSince: Date): Promise<SigningKeyRow[]> {
    return this.db.query<SigningKeyRow>(
      `SELECT kid, alg, private_jwk, public_jwk, created_at, retired_at FROM smart_signing_keys
        WHERE retired_at IS NULL OR retired_at > $1 ORDER BY created_at DESC`,
      [retiredSince],
    );
  }
}

async function insertKey(tx: Queryable, key: SigningKeyRow): Promise<void> {
  await tx.query('INSERT INTO smart_signing_keys (kid, alg, private_jwk, public_jwk, created_at, retired_at) VALUES ($1, $2, $3, $4, $5, $6)', [
    key.kid,
    key.alg,
    JSON.stringify(key.private_jwk),
    JSON.stringify(key.public_jwk),
    key.created_at,
    key.retired_at,
  ]);
}

import { Inject, Injectable } from '@nestjs/common';
import { DATABASE, type Database } from '../../store/database.js';

/** What an upstream sign-in keeps between the redirect to the provider and its callback. */
export interface UpstreamState {
  provider: string;
  state: string;
  nonce: string;
  codeVerifier: string;
}

/** One open row of auth_sign_ins. */
export interface SignInRow {
  continueTo: string;
  upstream: UpstreamState | null;
}

/** Sign-ins under way (auth_sign_ins), keyed by the sha256 of the cookie's id. */
@Injectable()
export class SignInsRepository {
  constructor(@Inject(DATABASE) private readonly db: Database) {}

  async insert(idHash: string, continueTo: string, expiresAt: Date): Promise<void> {
    await this.db.query('INSERT INTO auth_sign_ins (id_hash, continue_to, expires_at) VALUES ($1, $2, $3)', [idHash, continueTo, expiresAt]);
  }

  /** The sign-in if it is neither finished nor expired at `now`. */
  async findOpen(idHash: string, now: Date): Promise<SignInRow | undefined> {
    const [row] = await this.db.query<{ continue_to: string; upstream: UpstreamState | string | null }>(
      'SELECT continue_to, upstream FROM auth_sign_ins WHERE id_hash = $1 AND finished_at IS NULL AND expires_at > $2',
      [idHash, now],
    );
    if (!row) return undefined;
    return { continueTo: row.continue_to, upstream: typeof row.upstream === 'string' ? (JSON.parse(row.upstream) as UpstreamState) : row.upstream };
  }

  async setCsrf(idHash: string, csrfHash: string): Promise<void> {
    await this.db.query('UPDATE auth_sign_ins SET csrf_hash = $2 WHERE id_hash = $1', [idHash, csrfHash]);
  }

  /** Clears the CSRF token if it is the current one of an unfinished sign-in; false otherwise. */
  async consumeCsrf(idHash: string, csrfHash: string): Promise<boolean> {
    const rows = await this.db.query('UPDATE auth_sign_ins SET csrf_hash = NULL WHERE id_hash = $1 AND csrf_hash = $2 AND finished_at IS NULL RETURNING 1', [
      idHash,
      csrfHash,
    ]);
    return rows.length === 1;
  }

  async setUpstream(idHash: string, upstream: UpstreamState): Promise<void> {
    await this.db.query('UPDATE auth_sign_ins SET upstream = $2 WHERE id_hash = $1', [idHash, JSON.stringify(upstream)]);
  }

  /** Finishes the sign-in once; false when it was already finished (a replayed callback). */
  async finish(idHash: string, at: Date): Promise<boolean> {
    const rows = await this.db.query('UPDATE auth_sign_ins SET finished_at = $2 WHERE id_hash = $1 AND finished_at IS NULL RETURNING 1', [idHash, at]);
    return rows.length === 1;
  }

  async purgeExpired(before: Date): Promise<void> {
    await this.db.query('DELETE FROM auth_sign_ins WHERE expires_at < $1', [before]);
  }
}

import { Inject, Injectable } from '@nestjs/common';
import { DATABASE, type Database } from '../../store/database.js';
import type { SessionTimes } from './session-checks.js';

/** One row of auth_sessions, keyed by the sha256 of the cookie's id. */
export interface SessionRow extends SessionTimes {
  fhirUser: string;
  method: string;
}

/** The authorization server's sign-in sessions (auth_sessions). */
@Injectable()
export class SessionsRepository {
  constructor(@Inject(DATABASE) private readonly db: Database) {}

  async insert(idHash: string, fhirUser: string, method: string, at: Date): Promise<void> {
    await this.db.query('INSERT INTO auth_sessions (id_hash, fhir_user, method, created_at, last_seen_at) VALUES ($1, $2, $3, $4, $4)', [
      idHash,
      fhirUser,
      method,
      at,
    ]);
  }

  async find(idHash: string): Promise<SessionRow | undefined> {
    const [row] = await this.db.query<{ fhir_user: string; method: string; created_at: Date; last_seen_at: Date; ended_at: Date | null }>(
      'SELECT fhir_user, method, created_at, last_seen_at, ended_at FROM auth_sessions WHERE id_hash = $1',
      [idHash],
    );
    if (!row) return undefined;
    return { fhirUser: row.fhir_user, method: row.method, createdAt: new Date(row.created_at), lastSeenAt: new Date(row.last_seen_at), endedAt: row.ended_at ? new Date(row.ended_at) : null };
  }

  async touch(idHash: string, at: Date): Promise<void> {
    await this.db.query('UPDATE auth_sessions SET last_seen_at = $2 WHERE id_hash = $1 AND last_seen_at < $2', [idHash, at]);
  }

  async end(idHash: string, at: Date): Promise<void> {
    await this.db.query('UPDATE auth_sessions SET ended_at = $2 WHERE id_hash = $1 AND ended_at IS NULL', [idHash, at]);
  }

  /** Sessions nobody can use any more: ended, or unused for longer than any session may live. */
  async purge(before: Date): Promise<void> {
    await this.db.query('DELETE FROM auth_sessions WHERE last_seen_at < $1 OR ended_at < $1', [before]);
  }
}

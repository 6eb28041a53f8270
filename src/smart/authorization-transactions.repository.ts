import { Inject, Injectable } from '@nestjs/common';
import { DATABASE, type Database } from '../store/database.js';
import type { LaunchBinding } from './launch.service.js';
import type { OverrideRequestClaims } from './override/override-types.js';

/** The interaction step an authorization transaction is at. */
export type InteractionStep = 'login' | 'patient' | 'consent' | 'override';

/** The validated authorization request, kept server-side between the interaction pages. */
export interface StoredAuthorizeRequest {
  clientId: string;
  redirectUri: string;
  state?: string;
  scope: string;
  codeChallenge: string;
  nonce?: string;
  launch?: LaunchBinding;
  /** A step-up override request (RFC 9396 authorization_details): the verified requests and their grant. */
  override?: { requests: OverrideRequestClaims[]; baseGrant: string };
}

/** One open row of smart_transactions; its id and CSRF token are stored as their sha256 only. */
export interface TransactionRow {
  request: StoredAuthorizeRequest;
  step: InteractionStep;
  user_id: string | null;
  patient_id: string | null;
}

/** Interactive authorization transactions (smart_transactions), keyed by the hash of the cookie's id. */
@Injectable()
export class AuthorizationTransactionsRepository {
  constructor(@Inject(DATABASE) private readonly db: Database) {}

  async insert(idHash: string, row: TransactionRow, expiresAt: Date): Promise<void> {
    await this.db.query('INSERT INTO smart_transactions (id_hash, request, step, user_id, patient_id, expires_at) VALUES ($1, $2, $3, $4, $5, $6)', [
      idHash,
      JSON.stringify(row.request),
      row.step,
      row.user_id,
      row.patient_id,
      expiresAt,
    ]);
  }

  /** The transaction if it is neither finished nor expired at `now`. */
  async findOpen(idHash: string, now: Date): Promise<TransactionRow | undefined> {
    const [row] = await this.db.query<TransactionRow>(
      'SELECT request, step, user_id, patient_id FROM smart_transactions WHERE id_hash = $1 AND finished_at IS NULL AND expires_at > $2',
      [idHash, now],
    );
    return row;
  }

  /** Replaces the transaction's CSRF token (the last page rendered is the only one that can be submitted). */
  async setCsrf(idHash: string, csrfHash: string): Promise<void> {
    await this.db.query('UPDATE smart_transactions SET csrf_hash = $2 WHERE id_hash = $1', [idHash, csrfHash]);
  }

  /** Clears the CSRF token if it is the current one of an unfinished transaction; false otherwise. */
  async consumeCsrf(idHash: string, csrfHash: string): Promise<boolean> {
    const rows = await this.db.query(
      'UPDATE smart_transactions SET csrf_hash = NULL WHERE id_hash = $1 AND csrf_hash = $2 AND finished_at IS NULL RETURNING 1',
      [idHash, csrfHash],
    );
    return rows.length === 1;
  }

  async advance(idHash: string, step: InteractionStep, userId: string | null, patientId: string | null): Promise<void> {
    await this.db.query('UPDATE smart_transactions SET step = $2, user_id = $3, patient_id = $4 WHERE id_hash = $1', [idHash, step, userId, patientId]);
  }

  async finish(idHash: string, at: Date): Promise<void> {
    await this.db.query('UPDATE smart_transactions SET finished_at = $2 WHERE id_hash = $1', [idHash, at]);
  }

  async purgeExpired(before: Date): Promise<void> {
    await this.db.query('DELETE FROM smart_transactions WHERE expires_at < $1', [before]);
  }
}

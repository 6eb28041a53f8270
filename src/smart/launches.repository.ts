import { Inject, Injectable } from '@nestjs/common';
import { DATABASE, type Database } from '../store/database.js';
import type { LaunchBinding } from './launch.service.js';

/** One row of smart_launches; the launch token itself is stored as its sha256 only. */
export interface LaunchRow {
  token_hash: string;
  client_id: string;
  iss: string;
  binding: LaunchBinding;
  created_at: Date;
  expires_at: Date;
}

/** Launch tokens minted for card links (smart_launches). */
@Injectable()
export class LaunchesRepository {
  constructor(@Inject(DATABASE) private readonly db: Database) {}

  async insert(row: LaunchRow): Promise<void> {
    await this.db.query(
      'INSERT INTO smart_launches (token_hash, client_id, iss, binding, created_at, expires_at) VALUES ($1, $2, $3, $4, $5, $6)',
      [row.token_hash, row.client_id, row.iss, JSON.stringify(row.binding), row.created_at, row.expires_at],
    );
  }

  /**
   * Marks the launch used in one conditional UPDATE, only if it is unexpired at `now`, unused, and
   * minted for `clientId` and `iss`; returns its binding, or undefined when any of that fails.
   */
  async consume(tokenHash: string, clientId: string, iss: string, now: Date): Promise<LaunchBinding | undefined> {
    const rows = await this.db.query<{ binding: LaunchBinding }>(
      `UPDATE smart_launches SET consumed_at = $2
        WHERE token_hash = $1 AND consumed_at IS NULL AND expires_at > $2 AND client_id = $3 AND iss = $4
        RETURNING binding`,
      [tokenHash, now, clientId, iss],
    );
    return rows[0]?.binding;
  }

  async purgeExpired(before: Date): Promise<void> {
    await this.db.query('DELETE FROM smart_launches WHERE expires_at < $1', [before]);
  }
}

import { Inject, Injectable } from '@nestjs/common';
import { DATABASE, type Database } from '../store/database.js';

/** Client assertion ids already accepted (smart_assertion_jtis), shared by every instance. */
@Injectable()
export class AssertionJtisRepository {
  constructor(@Inject(DATABASE) private readonly db: Database) {}

  /** Records `jti` of `clientId` until `expiresAt`; false when it was recorded before (the primary key decides). */
  async insert(clientId: string, jti: string, expiresAt: Date): Promise<boolean> {
    const rows = await this.db.query(
      'INSERT INTO smart_assertion_jtis (client_id, jti, expires_at) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING RETURNING 1',
      [clientId, jti, expiresAt],
    );
    return rows.length === 1;
  }

  async purgeExpired(before: Date): Promise<void> {
    await this.db.query('DELETE FROM smart_assertion_jtis WHERE expires_at < $1', [before]);
  }
}

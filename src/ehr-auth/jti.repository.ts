import { Inject, Injectable } from '@nestjs/common';
import { DATABASE, type Database } from '../store/database.js';

/** CDS client JWT ids already accepted (ehr_jti), one table for every instance. */
@Injectable()
export class JtiRepository {
  constructor(@Inject(DATABASE) private readonly db: Database) {}

  /** Records `jti` of `issuer` until `expiresAt`; false when it was recorded before (the primary key decides). */
  async insert(issuer: string, jti: string, expiresAt: Date): Promise<boolean> {
    const rows = await this.db.query('INSERT INTO ehr_jti (issuer, jti, expires_at) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING RETURNING jti', [
      issuer,
      jti,
      expiresAt,
    ]);
    return rows.length === 1;
  }

  async purgeExpired(before: Date): Promise<void> {
    await this.db.query('DELETE FROM ehr_jti WHERE expires_at < $1', [before]);
  }
}

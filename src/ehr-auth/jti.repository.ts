import { Inject, Injectable } from '@nestjs/common';
import { emit } from '../http/telemetry.js';
import { DATABASE, type Database, type Queryable } from '../store/database.js';
import { CommitScheduler, GroupCommit } from '../store/group-commit.js';
import { claimWinners, distinctClaims, type JtiClaim } from './jti-batch.js';

/** Most single-use checks in one INSERT. */
const MAX_BATCH = 512;

/** CDS client JWT ids already accepted (ehr_jti), one table for every instance. */
@Injectable()
export class JtiRepository {
  private readonly batches: GroupCommit<JtiClaim, boolean>;

  constructor(
    @Inject(DATABASE) private readonly db: Database,
    @Inject(CommitScheduler) commits: CommitScheduler,
  ) {
    this.batches = new GroupCommit(commits, (q, claims) => this.insertBatch(q, claims), { maxBatch: MAX_BATCH, onCommit: (size) => emit('store.batch', { table: 'ehr_jti', size }) });
  }

  /**
   * Records `jti` of `issuer` until `expiresAt`; false when it was recorded before (the primary key
   * decides, across instances). Concurrent calls share one statement; each resolves once it committed.
   */
  insert(issuer: string, jti: string, expiresAt: Date): Promise<boolean> {
    return this.batches.submit({ issuer, jti, expiresAt });
  }

  async purgeExpired(before: Date): Promise<void> {
    await this.db.query('DELETE FROM ehr_jti WHERE expires_at < $1', [before]);
  }

  private async insertBatch(q: Queryable, claims: JtiClaim[]): Promise<boolean[]> {
    const inserted = await q.query<{ issuer: string; jti: string }>(
      `INSERT INTO ehr_jti (issuer, jti, expires_at)
       SELECT issuer, jti, expires_at FROM jsonb_to_recordset($1::jsonb) AS x(issuer text, jti text, expires_at timestamptz)
       ON CONFLICT DO NOTHING RETURNING issuer, jti`,
      [JSON.stringify(distinctClaims(claims).map((c) => ({ issuer: c.issuer, jti: c.jti, expires_at: c.expiresAt })))],
    );
    return claimWinners(claims, inserted);
  }
}

import { Inject, Injectable } from '@nestjs/common';
import { DATABASE, type Database } from '../store/database.js';

/** One row of cds_feedback. */
export interface FeedbackRow {
  dedupe_key: string;
  card_uuid: string;
  service_id: string;
  hook_instance: string;
  issuer: string | null;
  tenant: string | null;
  outcome: 'accepted' | 'overridden';
  accepted_suggestions: { id: string }[];
  override_reason: Record<string, unknown> | null;
  outcome_timestamp: string;
  channel: 'jwt' | 'signed-url';
}

/** Feedback on issued cards (the cds_feedback table). */
@Injectable()
export class FeedbackRepository {
  constructor(@Inject(DATABASE) private readonly db: Database) {}

  /** Stores feedback idempotently: an item already stored (same dedupe_key) is skipped. Returns rows inserted. */
  async insert(rows: readonly FeedbackRow[]): Promise<number> {
    const inserted = await this.db.query(
      `INSERT INTO cds_feedback (dedupe_key, card_uuid, service_id, hook_instance, issuer, tenant, outcome,
                                 accepted_suggestions, override_reason, outcome_timestamp, channel)
       SELECT dedupe_key, card_uuid, service_id, hook_instance, issuer, tenant, outcome,
              accepted_suggestions, override_reason, outcome_timestamp, channel
         FROM jsonb_to_recordset($1::jsonb) AS x(dedupe_key text, card_uuid text, service_id text, hook_instance text,
              issuer text, tenant text, outcome text, accepted_suggestions jsonb, override_reason jsonb,
              outcome_timestamp timestamptz, channel text)
       ON CONFLICT (dedupe_key) DO NOTHING
       RETURNING id`,
      [JSON.stringify(rows)],
    );
    return inserted.length;
  }
}

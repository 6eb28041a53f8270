import { Inject, Injectable } from '@nestjs/common';
import { DATABASE, type Database } from '../store/database.js';

/** What an app launched by the EHR gets for a card (summary, findings, suggested alternatives): ids and card text, no tokens. */
export interface AppContextPayload {
  service: string;
  hookInstance: string;
  card: string;
  summary: string;
  indicator: string;
  /** The card's markdown detail: what was found and why it matters. */
  findings?: string;
  source: { label: string; url?: string; topic?: { system: string; code: string; display?: string } };
  suggestions: { uuid?: string; label: string; isRecommended?: boolean }[];
}

export interface AppContextRow {
  id: string;
  service_id: string;
  hook_instance: string;
  card_uuid: string;
  app: string;
  context: AppContextPayload;
  issued_at: Date;
  expires_at: Date;
}

/** app_contexts: the server-side half of `smart` link handles. */
@Injectable()
export class AppContextsRepository {
  constructor(@Inject(DATABASE) private readonly db: Database) {}

  async insert(rows: readonly AppContextRow[]): Promise<void> {
    if (rows.length === 0) return;
    await this.db.query(
      `INSERT INTO app_contexts (id, service_id, hook_instance, card_uuid, app, context, issued_at, expires_at)
       SELECT id, service_id, hook_instance, card_uuid, app, context, issued_at, expires_at
         FROM jsonb_to_recordset($1::jsonb) AS x(id text, service_id text, hook_instance text, card_uuid text, app text,
              context jsonb, issued_at timestamptz, expires_at timestamptz)`,
      [JSON.stringify(rows)],
    );
  }

  /**
   * Redeems the handle's row once: only the row bound to this card of this hook call, not expired,
   * not redeemed before. One statement, so two instances racing for it cannot both win.
   */
  async redeem(id: string, cardUuid: string, hookInstance: string, now: Date): Promise<AppContextPayload | undefined> {
    const [row] = await this.db.query<{ context: AppContextPayload }>(
      `UPDATE app_contexts SET redeemed_at = $4
        WHERE id = $1 AND card_uuid = $2 AND hook_instance = $3 AND redeemed_at IS NULL AND expires_at > $4
        RETURNING context`,
      [id, cardUuid, hookInstance, now],
    );
    return row?.context;
  }

  async purgeExpired(now: Date): Promise<void> {
    await this.db.query('DELETE FROM app_contexts WHERE expires_at < $1', [now]);
  }
}

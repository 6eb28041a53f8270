import { Inject, Injectable } from '@nestjs/common';
import { emit } from '../http/telemetry.js';
import { DATABASE, type Database, type Queryable } from '../store/database.js';
import { CommitScheduler, GroupCommit } from '../store/group-commit.js';

/** Most calls' links in one statement. */
const MAX_BATCH = 256;

/** One row of card_links: the launch context a signed click-through link will bind its launch to. */
export interface CardLinkRow {
  id: string;
  service_id: string;
  hook_instance: string;
  card_uuid: string;
  link_index: number;
  app: string;
  issuer: string | null;
  user_id: string;
  patient_id: string;
  encounter_id: string | null;
  scope_ceiling: string;
  app_context: string | null;
  issued_at: Date;
  expires_at: Date;
}

/** The server-side half of card click-through links (card_links); the signed URL carries only the row id. */
@Injectable()
export class CardLinksRepository {
  private readonly batches: GroupCommit<readonly CardLinkRow[], void>;

  constructor(
    @Inject(DATABASE) private readonly db: Database,
    @Inject(CommitScheduler) commits: CommitScheduler,
  ) {
    this.batches = new GroupCommit(commits, (q, calls) => this.insertBatch(q, calls), { maxBatch: MAX_BATCH, onCommit: (size) => emit('store.batch', { table: 'card_links', size }) });
  }

  /** Stores one call's links; resolves once committed. Concurrent calls share one statement (group commit). */
  async insert(rows: readonly CardLinkRow[]): Promise<void> {
    if (rows.length > 0) await this.batches.submit(rows);
  }

  private async insertBatch(q: Queryable, calls: (readonly CardLinkRow[])[]): Promise<void[]> {
    const rows = calls.flat();
    await q.query(
      `INSERT INTO card_links (id, service_id, hook_instance, card_uuid, link_index, app, issuer, user_id, patient_id, encounter_id,
                               scope_ceiling, app_context, issued_at, expires_at)
       SELECT id, service_id, hook_instance, card_uuid, link_index, app, issuer, user_id, patient_id, encounter_id,
              scope_ceiling, app_context, issued_at, expires_at
         FROM jsonb_to_recordset($1::jsonb) AS x(id text, service_id text, hook_instance text, card_uuid text, link_index integer,
              app text, issuer text, user_id text, patient_id text, encounter_id text, scope_ceiling text, app_context text,
              issued_at timestamptz, expires_at timestamptz)`,
      [JSON.stringify(rows)],
    );
    return calls.map(() => undefined);
  }

  /** The link with this id, if it belongs to this card of this hook call. */
  async find(id: string, cardUuid: string, hookInstance: string): Promise<CardLinkRow | undefined> {
    const [row] = await this.db.query<CardLinkRow>(
      `SELECT id, service_id, hook_instance, card_uuid, link_index, app, issuer, user_id, patient_id, encounter_id,
              scope_ceiling, app_context, issued_at, expires_at
         FROM card_links WHERE id = $1 AND card_uuid = $2 AND hook_instance = $3`,
      [id, cardUuid, hookInstance],
    );
    return row;
  }

  /** Counts one more launch attempt on the link (atomic across instances); returns the count including it. */
  async countLaunch(id: string): Promise<number> {
    const [row] = await this.db.query<{ launch_count: number }>('UPDATE card_links SET launch_count = launch_count + 1 WHERE id = $1 RETURNING launch_count', [id]);
    return row?.launch_count ?? Number.POSITIVE_INFINITY;
  }

  /** Deletes links whose signed URL expired before `now`: a click on one is refused before any lookup. */
  async purgeExpired(now: Date): Promise<void> {
    await this.db.query('DELETE FROM card_links WHERE expires_at < $1', [now]);
  }
}

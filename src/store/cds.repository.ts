import { Inject, Injectable } from '@nestjs/common';
import { DATABASE, type Database, type Queryable } from './database.js';

/** One row of cds_invocations: what happened in one service call (no PHI, no tokens). */
export interface InvocationRow {
  service_id: string;
  hook: string;
  hook_instance: string;
  issuer: string | null;
  tenant: string | null;
  started_at: string;
  latency_ms: number;
  status: number;
  card_count: number;
  indicators: Record<string, number>;
  effective_scopes: string;
  prefetch_dropped: number;
}

/** One row of cds_cards: a card we sent, so feedback can be tied to service, hookInstance and client. */
export interface CardRow {
  uuid: string;
  service_id: string;
  hook_instance: string;
  issuer: string | null;
  tenant: string | null;
  indicator: string;
  summary: string;
  suggestion_uuids: string[];
  issued_at: string;
}

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

/**
 * Persistence of invocations, issued cards and feedback. Batches go in as one jsonb parameter
 * (jsonb_to_recordset), so a batch is one statement on PGlite and PostgreSQL alike.
 */
@Injectable()
export class CdsRepository {
  constructor(@Inject(DATABASE) private readonly db: Database) {}

  /** Inserts invocations and cards in one transaction; a card uuid seen before keeps its first row. */
  async insertBatch(invocations: InvocationRow[], cards: CardRow[]): Promise<void> {
    await this.db.transaction(async (tx) => {
      if (invocations.length > 0) await insertInvocations(tx, invocations);
      if (cards.length > 0) await insertCards(tx, cards);
    });
  }

  /** Issued cards by uuid. */
  async findCards(uuids: string[]): Promise<CardRow[]> {
    return this.db.query<CardRow>(
      `SELECT uuid, service_id, hook_instance, issuer, tenant, indicator, summary, suggestion_uuids, issued_at::text
         FROM cds_cards WHERE uuid = ANY($1::text[])`,
      [uuids],
    );
  }

  /** Stores feedback idempotently: an item already stored (same dedupe_key) is skipped. Returns rows inserted. */
  async insertFeedback(rows: FeedbackRow[]): Promise<number> {
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

async function insertInvocations(tx: Queryable, rows: InvocationRow[]): Promise<void> {
  await tx.query(
    `INSERT INTO cds_invocations (service_id, hook, hook_instance, issuer, tenant, started_at, latency_ms, status,
                                  card_count, indicators, effective_scopes, prefetch_dropped)
     SELECT service_id, hook, hook_instance, issuer, tenant, started_at, latency_ms, status,
            card_count, indicators, effective_scopes, prefetch_dropped
       FROM jsonb_to_recordset($1::jsonb) AS x(service_id text, hook text, hook_instance text, issuer text, tenant text,
            started_at timestamptz, latency_ms double precision, status integer, card_count integer, indicators jsonb,
            effective_scopes text, prefetch_dropped integer)`,
    [JSON.stringify(rows)],
  );
}

async function insertCards(tx: Queryable, rows: CardRow[]): Promise<void> {
  await tx.query(
    `INSERT INTO cds_cards (uuid, service_id, hook_instance, issuer, tenant, indicator, summary, suggestion_uuids, issued_at)
     SELECT uuid, service_id, hook_instance, issuer, tenant, indicator, summary, suggestion_uuids, issued_at
       FROM jsonb_to_recordset($1::jsonb) AS x(uuid text, service_id text, hook_instance text, issuer text, tenant text,
            indicator text, summary text, suggestion_uuids jsonb, issued_at timestamptz)
     ON CONFLICT (uuid) DO NOTHING`,
    [JSON.stringify(rows)],
  );
}

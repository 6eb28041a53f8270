import { Inject, Injectable } from '@nestjs/common';
import { DATABASE, type Database } from '../store/database.js';

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
  /** The knowledge-base rule that made the card (host-only `Card.rule`); null when the service names none. */
  rule: string | null;
}

// One statement, so one call's invocation and cards are committed together without a transaction:
// a data-modifying WITH runs whether or not the outer INSERT reads it. A card uuid seen before keeps its first row.
const INSERT_CALL_SQL = `WITH invocation AS (
  INSERT INTO cds_invocations (service_id, hook, hook_instance, issuer, tenant, started_at, latency_ms, status,
                               card_count, indicators, effective_scopes, prefetch_dropped)
  SELECT service_id, hook, hook_instance, issuer, tenant, started_at, latency_ms, status,
         card_count, indicators, effective_scopes, prefetch_dropped
    FROM jsonb_to_record($1::jsonb) AS x(service_id text, hook text, hook_instance text, issuer text, tenant text,
         started_at timestamptz, latency_ms double precision, status integer, card_count integer, indicators jsonb,
         effective_scopes text, prefetch_dropped integer)
)
INSERT INTO cds_cards (uuid, service_id, hook_instance, issuer, tenant, indicator, summary, suggestion_uuids, issued_at, rule)
SELECT uuid, service_id, hook_instance, issuer, tenant, indicator, summary, suggestion_uuids, issued_at, rule
  FROM jsonb_to_recordset($2::jsonb) AS x(uuid text, service_id text, hook_instance text, issuer text, tenant text,
       indicator text, summary text, suggestion_uuids jsonb, issued_at timestamptz, rule text)
ON CONFLICT (uuid) DO NOTHING`;

/** Service calls and the cards they issued (the cds_invocations and cds_cards tables). */
@Injectable()
export class InvocationsRepository {
  constructor(@Inject(DATABASE) private readonly db: Database) {}

  /** Stores one call and its cards in one statement; resolves once they are committed. */
  async insert(invocation: InvocationRow, cards: readonly CardRow[]): Promise<void> {
    await this.db.query(INSERT_CALL_SQL, [JSON.stringify(invocation), JSON.stringify(cards)]);
  }

  /** Issued cards by uuid. */
  async findCards(uuids: readonly string[]): Promise<CardRow[]> {
    return this.db.query<CardRow>(
      `SELECT uuid, service_id, hook_instance, issuer, tenant, indicator, summary, suggestion_uuids, issued_at::text, rule
         FROM cds_cards WHERE uuid = ANY($1::text[])`,
      [uuids],
    );
  }
}

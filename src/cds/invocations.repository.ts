import { Inject, Injectable } from '@nestjs/common';
import { emit } from '../http/telemetry.js';
import { DATABASE, type Database, type Queryable } from '../store/database.js';
import { CommitScheduler, GroupCommit } from '../store/group-commit.js';

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

/** One call's rows, waiting for their batch. */
interface CallRows {
  invocation: InvocationRow;
  cards: readonly CardRow[];
}

/** Most calls in one statement. */
const MAX_BATCH = 256;

// One statement, so the invocations and cards of a batch of calls are committed together without a
// transaction: a data-modifying WITH runs whether or not the outer INSERT reads it. A card uuid seen
// before keeps its first row.
const INSERT_CALLS_SQL = `WITH invocation AS (
  INSERT INTO cds_invocations (service_id, hook, hook_instance, issuer, tenant, started_at, latency_ms, status,
                               card_count, indicators, effective_scopes, prefetch_dropped)
  SELECT service_id, hook, hook_instance, issuer, tenant, started_at, latency_ms, status,
         card_count, indicators, effective_scopes, prefetch_dropped
    FROM jsonb_to_recordset($1::jsonb) AS x(service_id text, hook text, hook_instance text, issuer text, tenant text,
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
  private readonly batches: GroupCommit<CallRows, void>;

  constructor(
    @Inject(DATABASE) private readonly db: Database,
    @Inject(CommitScheduler) commits: CommitScheduler,
  ) {
    this.batches = new GroupCommit(commits, (q, calls) => this.insertBatch(q, calls), { maxBatch: MAX_BATCH, onCommit: (size) => emit('store.batch', { table: 'cds_invocations', size }) });
  }

  /**
   * Stores one call and its cards; resolves once they are committed. Concurrent calls share one
   * statement (group commit), so a response never leaves before its own rows are stored.
   */
  insert(invocation: InvocationRow, cards: readonly CardRow[]): Promise<void> {
    return this.batches.submit({ invocation, cards });
  }

  private async insertBatch(q: Queryable, calls: CallRows[]): Promise<void[]> {
    await q.query(INSERT_CALLS_SQL, [JSON.stringify(calls.map((c) => c.invocation)), JSON.stringify(calls.flatMap((c) => c.cards))]);
    return calls.map(() => undefined);
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

import { Inject, Injectable } from '@nestjs/common';
import { DATABASE, type Database, type Queryable } from '../store/database.js';
import { LATENCY_BIN_BASE } from './latency.js';

/** Counters of one service over a range, from analytics_service_hours. */
export interface ServiceTotals {
  service_id: string;
  invocations: number;
  errors: number;
  prefetch_dropped: number;
}

/** Latency histogram bins of one service over a range. */
export interface LatencyBins {
  service_id: string;
  bin: number;
  count: number;
}

/** Counters of one (service, rule) over a range, from analytics_rule_hours. */
export interface RuleTotals {
  service_id: string;
  rule: string;
  cards: number;
  accepted: number;
  overridden: number;
  with_feedback: number;
  link_clicks: number;
  launches_minted: number;
  launches_authorized: number;
  tokens_issued: number;
  overrides_requested: number;
  overrides_approved: number;
  overrides_denied: number;
  overrides_used: number;
}

/** Coded override reasons of one (service, rule) over a range. */
export interface ReasonTotals {
  service_id: string;
  rule: string;
  code: string;
  display: string | null;
  count: number;
}

/** One time-series bucket (no row when nothing happened in it). */
export interface BucketTotals {
  start: Date;
  invocations: number;
  cards: number;
  accepted: number;
  overridden: number;
  link_clicks: number;
}

/** What a query reads: hour buckets starting in [from, to), optionally one service and one rule. */
export interface RangeFilter {
  from: Date;
  to: Date;
  service?: string;
  rule?: string;
}

const HOUR = (column: string) => `date_trunc('hour', ${column}, 'UTC')`;

/**
 * The incremental fold, one statement per raw table. Each marks at most `$1` unmarked rows rolled
 * up and adds them to the counters in the same statement (a data-modifying WITH), so a row is
 * counted exactly once. Card outcomes join the card for its service, rule and issue hour.
 */
const FOLDS: { table: string; sql: string }[] = [
  {
    table: 'cds_invocations',
    sql: `WITH batch AS (
        UPDATE cds_invocations SET rolled_up = true
         WHERE id IN (SELECT id FROM cds_invocations WHERE NOT rolled_up LIMIT $1)
        RETURNING service_id, ${HOUR('started_at')} AS bucket, status, prefetch_dropped, latency_ms
      ), services AS (
        INSERT INTO analytics_service_hours AS t (service_id, bucket, invocations, errors, prefetch_dropped)
        SELECT service_id, bucket, count(*), count(*) FILTER (WHERE status <> 200), sum(prefetch_dropped) FROM batch GROUP BY 1, 2
        ON CONFLICT (service_id, bucket) DO UPDATE SET invocations = t.invocations + EXCLUDED.invocations,
          errors = t.errors + EXCLUDED.errors, prefetch_dropped = t.prefetch_dropped + EXCLUDED.prefetch_dropped
      ), latency AS (
        INSERT INTO analytics_latency_hours AS t (service_id, bucket, bin, count)
        SELECT service_id, bucket, floor(ln(greatest(latency_ms, 0.01)) / ln(${LATENCY_BIN_BASE}))::integer, count(*) FROM batch GROUP BY 1, 2, 3
        ON CONFLICT (service_id, bucket, bin) DO UPDATE SET count = t.count + EXCLUDED.count
      )
      SELECT count(*)::integer AS n FROM batch`,
  },
  {
    table: 'cds_cards',
    sql: `WITH batch AS (
        UPDATE cds_cards SET rolled_up = true
         WHERE uuid IN (SELECT uuid FROM cds_cards WHERE NOT rolled_up LIMIT $1)
        RETURNING service_id, coalesce(rule, '') AS rule, ${HOUR('issued_at')} AS bucket
      ), rules AS (
        INSERT INTO analytics_rule_hours AS t (service_id, rule, bucket, cards)
        SELECT service_id, rule, bucket, count(*) FROM batch GROUP BY 1, 2, 3
        ON CONFLICT (service_id, rule, bucket) DO UPDATE SET cards = t.cards + EXCLUDED.cards
      )
      SELECT count(*)::integer AS n FROM batch`,
  },
  {
    // A card counts once in with_feedback: when no feedback on it was rolled up before (the
    // statement's snapshot predates its own marks). The reason's code and display, never userComment.
    table: 'cds_feedback',
    sql: `WITH batch AS (
        UPDATE cds_feedback SET rolled_up = true
         WHERE id IN (SELECT id FROM cds_feedback WHERE NOT rolled_up LIMIT $1)
        RETURNING card_uuid, outcome, override_reason -> 'reason' ->> 'code' AS code, override_reason -> 'reason' ->> 'display' AS display
      ), joined AS (
        SELECT c.service_id, coalesce(c.rule, '') AS rule, ${HOUR('c.issued_at')} AS bucket, b.card_uuid, b.outcome, b.code, b.display,
               NOT EXISTS (SELECT 1 FROM cds_feedback f WHERE f.card_uuid = b.card_uuid AND f.rolled_up) AS first_seen
          FROM batch b JOIN cds_cards c ON c.uuid = b.card_uuid
      ), reasons AS (
        INSERT INTO analytics_reason_hours AS t (service_id, rule, bucket, code, display, count)
        SELECT service_id, rule, bucket, code, max(display), count(*) FROM joined
         WHERE outcome = 'overridden' AND code IS NOT NULL GROUP BY 1, 2, 3, 4
        ON CONFLICT (service_id, rule, bucket, code) DO UPDATE SET count = t.count + EXCLUDED.count, display = coalesce(EXCLUDED.display, t.display)
      ), rules AS (
        INSERT INTO analytics_rule_hours AS t (service_id, rule, bucket, accepted, overridden, with_feedback)
        SELECT service_id, rule, bucket, count(*) FILTER (WHERE outcome = 'accepted'), count(*) FILTER (WHERE outcome = 'overridden'),
               count(DISTINCT card_uuid) FILTER (WHERE first_seen)
          FROM joined GROUP BY 1, 2, 3
        ON CONFLICT (service_id, rule, bucket) DO UPDATE SET accepted = t.accepted + EXCLUDED.accepted,
          overridden = t.overridden + EXCLUDED.overridden, with_feedback = t.with_feedback + EXCLUDED.with_feedback
      )
      SELECT count(*)::integer AS n FROM batch`,
  },
  {
    // A click whose token was refused before any lookup names no card: it is marked, not counted.
    table: 'link_events',
    sql: `WITH batch AS (
        UPDATE link_events SET rolled_up = true
         WHERE id IN (SELECT id FROM link_events WHERE NOT rolled_up LIMIT $1)
        RETURNING card_uuid, outcome
      ), rules AS (
        INSERT INTO analytics_rule_hours AS t (service_id, rule, bucket, link_clicks, launches_minted)
        SELECT c.service_id, coalesce(c.rule, ''), ${HOUR('c.issued_at')}, count(*), count(*) FILTER (WHERE b.outcome = 'launched')
          FROM batch b JOIN cds_cards c ON c.uuid = b.card_uuid GROUP BY 1, 2, 3
        ON CONFLICT (service_id, rule, bucket) DO UPDATE SET link_clicks = t.link_clicks + EXCLUDED.link_clicks,
          launches_minted = t.launches_minted + EXCLUDED.launches_minted
      )
      SELECT count(*)::integer AS n FROM batch`,
  },
  {
    table: 'launch_events',
    sql: `WITH batch AS (
        UPDATE launch_events SET rolled_up = true
         WHERE id IN (SELECT id FROM launch_events WHERE NOT rolled_up LIMIT $1)
        RETURNING card_uuid, event
      ), rules AS (
        INSERT INTO analytics_rule_hours AS t (service_id, rule, bucket, launches_authorized, tokens_issued)
        SELECT c.service_id, coalesce(c.rule, ''), ${HOUR('c.issued_at')},
               count(*) FILTER (WHERE b.event = 'authorized'), count(*) FILTER (WHERE b.event = 'token_issued')
          FROM batch b JOIN cds_cards c ON c.uuid = b.card_uuid GROUP BY 1, 2, 3
        ON CONFLICT (service_id, rule, bucket) DO UPDATE SET launches_authorized = t.launches_authorized + EXCLUDED.launches_authorized,
          tokens_issued = t.tokens_issued + EXCLUDED.tokens_issued
      )
      SELECT count(*)::integer AS n FROM batch`,
  },
  {
    // `refused` (a write tried with no matching override) is not one of the contract's counters.
    table: 'override_events',
    sql: `WITH batch AS (
        UPDATE override_events SET rolled_up = true
         WHERE id IN (SELECT id FROM override_events WHERE NOT rolled_up LIMIT $1)
        RETURNING coalesce(service_id, '') AS service_id, rule, ${HOUR('at')} AS bucket, event
      ), rules AS (
        INSERT INTO analytics_rule_hours AS t (service_id, rule, bucket, overrides_requested, overrides_approved, overrides_denied, overrides_used)
        SELECT service_id, rule, bucket, count(*) FILTER (WHERE event = 'requested'), count(*) FILTER (WHERE event = 'approved'),
               count(*) FILTER (WHERE event = 'denied'), count(*) FILTER (WHERE event = 'used')
          FROM batch WHERE event <> 'refused' GROUP BY 1, 2, 3
        ON CONFLICT (service_id, rule, bucket) DO UPDATE SET overrides_requested = t.overrides_requested + EXCLUDED.overrides_requested,
          overrides_approved = t.overrides_approved + EXCLUDED.overrides_approved, overrides_denied = t.overrides_denied + EXCLUDED.overrides_denied,
          overrides_used = t.overrides_used + EXCLUDED.overrides_used
      )
      SELECT count(*)::integer AS n FROM batch`,
  },
];

const NUMERIC_RULE_COLUMNS = [
  'cards',
  'accepted',
  'overridden',
  'with_feedback',
  'link_clicks',
  'launches_minted',
  'launches_authorized',
  'tokens_issued',
  'overrides_requested',
  'overrides_approved',
  'overrides_denied',
  'overrides_used',
] as const;

/** `WHERE` of a range query on a rollup table, its parameters starting at $1. */
function where(f: RangeFilter, withRule: boolean): { sql: string; params: unknown[] } {
  const params: unknown[] = [f.from, f.to];
  let sql = `bucket >= ${HOUR('$1::timestamptz')} AND bucket < $2`;
  if (f.service !== undefined) {
    params.push(f.service);
    sql += ` AND service_id = $${params.length}`;
  }
  if (withRule && f.rule !== undefined) {
    params.push(f.rule);
    sql += ` AND rule = $${params.length}`;
  }
  return { sql, params };
}

/**
 * The analytics rollups (analytics_* tables) and the one place that reads and marks the raw events
 * they are folded from (cds_invocations, cds_cards, cds_feedback, link_events, launch_events,
 * override_events), and purges them after the retention period.
 */
@Injectable()
export class RollupsRepository {
  constructor(@Inject(DATABASE) private readonly db: Database) {}

  /**
   * Folds up to `batch` pending rows of each raw table into the rollups, in one transaction that
   * holds the rollup lock (one rollup at a time across instances). Returns how many rows it folded.
   */
  async fold(batch: number): Promise<number> {
    return this.db.transaction(async (tx) => {
      await tx.query('LOCK TABLE analytics_rollup_lock IN EXCLUSIVE MODE');
      let folded = 0;
      for (const { sql } of FOLDS) folded += (await tx.query<{ n: number }>(sql, [batch]))[0]?.n ?? 0;
      return folded;
    });
  }

  /**
   * Deletes rolled-up raw events from before `before`: a card goes with its feedback, once nothing
   * about it is pending. The rollups keep every total.
   */
  async purgeRawBefore(before: Date): Promise<void> {
    await this.db.transaction(async (tx: Queryable) => {
      await tx.query('LOCK TABLE analytics_rollup_lock IN EXCLUSIVE MODE');
      await tx.query('DELETE FROM cds_invocations WHERE started_at < $1 AND rolled_up', [before]);
      await tx.query('DELETE FROM link_events WHERE at < $1 AND rolled_up', [before]);
      await tx.query('DELETE FROM launch_events WHERE at < $1 AND rolled_up', [before]);
      await tx.query('DELETE FROM override_events WHERE at < $1 AND rolled_up', [before]);
      await tx.query(
        `DELETE FROM cds_feedback f USING cds_cards c
          WHERE f.card_uuid = c.uuid AND c.issued_at < $1 AND c.rolled_up AND f.rolled_up`,
        [before],
      );
      await tx.query(
        `DELETE FROM cds_cards c WHERE c.issued_at < $1 AND c.rolled_up
            AND NOT EXISTS (SELECT 1 FROM cds_feedback f WHERE f.card_uuid = c.uuid)`,
        [before],
      );
    });
  }

  async serviceTotals(f: RangeFilter): Promise<ServiceTotals[]> {
    const w = where(f, false);
    return this.db.query<ServiceTotals>(
      `SELECT service_id, sum(invocations)::float8 AS invocations, sum(errors)::float8 AS errors, sum(prefetch_dropped)::float8 AS prefetch_dropped
         FROM analytics_service_hours WHERE ${w.sql} GROUP BY 1 ORDER BY 1`,
      w.params,
    );
  }

  async latencyBins(f: RangeFilter): Promise<LatencyBins[]> {
    const w = where(f, false);
    return this.db.query<LatencyBins>(
      `SELECT service_id, bin, sum(count)::float8 AS count FROM analytics_latency_hours WHERE ${w.sql} GROUP BY 1, 2 ORDER BY 1, 2`,
      w.params,
    );
  }

  async ruleTotals(f: RangeFilter): Promise<RuleTotals[]> {
    const w = where(f, true);
    const sums = NUMERIC_RULE_COLUMNS.map((c) => `sum(${c})::float8 AS ${c}`).join(', ');
    return this.db.query<RuleTotals>(`SELECT service_id, rule, ${sums} FROM analytics_rule_hours WHERE ${w.sql} GROUP BY 1, 2 ORDER BY 1, 2`, w.params);
  }

  async reasonTotals(f: RangeFilter): Promise<ReasonTotals[]> {
    const w = where(f, true);
    return this.db.query<ReasonTotals>(
      `SELECT service_id, rule, code, max(display) AS display, sum(count)::float8 AS count
         FROM analytics_reason_hours WHERE ${w.sql} GROUP BY 1, 2, 3 ORDER BY 1, 2, 5 DESC, 3`,
      w.params,
    );
  }

  /** Sums per `unit` bucket; invocations are the service's whatever the rule filter (calls have no rule). */
  async buckets(f: RangeFilter, unit: 'hour' | 'day'): Promise<BucketTotals[]> {
    const s = where(f, false);
    const r = where(f, true);
    return this.db.query<BucketTotals>(
      `WITH calls AS (
         SELECT date_trunc('${unit}', bucket, 'UTC') AS start, sum(invocations) AS invocations
           FROM analytics_service_hours WHERE ${s.sql} GROUP BY 1
       ), cards AS (
         SELECT date_trunc('${unit}', bucket, 'UTC') AS start, sum(cards) AS cards, sum(accepted) AS accepted,
                sum(overridden) AS overridden, sum(link_clicks) AS link_clicks
           FROM analytics_rule_hours WHERE ${r.sql.replaceAll(/\$(\d+)/g, (_, n: string) => `$${Number(n) + s.params.length}`)} GROUP BY 1
       )
       SELECT coalesce(calls.start, cards.start) AS start, coalesce(calls.invocations, 0)::float8 AS invocations,
              coalesce(cards.cards, 0)::float8 AS cards, coalesce(cards.accepted, 0)::float8 AS accepted,
              coalesce(cards.overridden, 0)::float8 AS overridden, coalesce(cards.link_clicks, 0)::float8 AS link_clicks
         FROM calls FULL JOIN cards ON calls.start = cards.start ORDER BY 1`,
      [...s.params, ...r.params],
    );
  }
}

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

/** Rollups are kept per UTC hour and per UTC day; each fold adds to both. */
type Grain = 'hour' | 'day';
const GRAINS: readonly Grain[] = ['hour', 'day'];
const rollupTable = (name: 'service' | 'latency' | 'rule' | 'reason', grain: Grain) => `analytics_${name}_${grain}s`;
const trunc = (grain: Grain, column: string) => `date_trunc('${grain}', ${column}, 'UTC')`;

/** One upsert CTE per grain: `insert(grain)` is the INSERT … ON CONFLICT statement for that grain's table. */
const perGrain = (name: string, insert: (g: Grain) => string) => GRAINS.map((g) => `, ${name}_${g} AS (${insert(g)})`).join('');

/**
 * The incremental fold, one statement per raw table. Each marks at most `$1` unmarked rows rolled
 * up and adds them to the hour and day counters in the same statement (a data-modifying WITH), so
 * a row is counted exactly once. Card outcomes join the card for its service, rule and issue time.
 */
const FOLDS: { table: string; sql: string }[] = [
  {
    table: 'cds_invocations',
    sql: `WITH batch AS (
        UPDATE cds_invocations SET rolled_up = true
         WHERE id IN (SELECT id FROM cds_invocations WHERE NOT rolled_up LIMIT $1)
        RETURNING service_id, started_at AS ts, status, prefetch_dropped, latency_ms
      )${perGrain(
        'services',
        (g) => `INSERT INTO ${rollupTable('service', g)} AS t (service_id, bucket, invocations, errors, prefetch_dropped)
        SELECT service_id, ${trunc(g, 'ts')}, count(*), count(*) FILTER (WHERE status <> 200), sum(prefetch_dropped) FROM batch GROUP BY 1, 2
        ON CONFLICT (service_id, bucket) DO UPDATE SET invocations = t.invocations + EXCLUDED.invocations,
          errors = t.errors + EXCLUDED.errors, prefetch_dropped = t.prefetch_dropped + EXCLUDED.prefetch_dropped`,
      )}${perGrain(
        'latency',
        (g) => `INSERT INTO ${rollupTable('latency', g)} AS t (service_id, bucket, bin, count)
        SELECT service_id, ${trunc(g, 'ts')}, floor(ln(greatest(latency_ms, 0.01)) / ln(${LATENCY_BIN_BASE}))::integer, count(*) FROM batch GROUP BY 1, 2, 3
        ON CONFLICT (service_id, bucket, bin) DO UPDATE SET count = t.count + EXCLUDED.count`,
      )}
      SELECT count(*)::integer AS n FROM batch`,
  },
  {
    table: 'cds_cards',
    sql: `WITH batch AS (
        UPDATE cds_cards SET rolled_up = true
         WHERE uuid IN (SELECT uuid FROM cds_cards WHERE NOT rolled_up LIMIT $1)
        RETURNING service_id, coalesce(rule, '') AS rule, issued_at AS ts
      )${perGrain(
        'rules',
        (g) => `INSERT INTO ${rollupTable('rule', g)} AS t (service_id, rule, bucket, cards)
        SELECT service_id, rule, ${trunc(g, 'ts')}, count(*) FROM batch GROUP BY 1, 2, 3
        ON CONFLICT (service_id, rule, bucket) DO UPDATE SET cards = t.cards + EXCLUDED.cards`,
      )}${perGrain(
        'services',
        (g) => `INSERT INTO ${rollupTable('service', g)} AS t (service_id, bucket, cards)
        SELECT service_id, ${trunc(g, 'ts')}, count(*) FROM batch GROUP BY 1, 2
        ON CONFLICT (service_id, bucket) DO UPDATE SET cards = t.cards + EXCLUDED.cards`,
      )}
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
        SELECT c.service_id, coalesce(c.rule, '') AS rule, c.issued_at AS ts, b.card_uuid, b.outcome, b.code, b.display,
               NOT EXISTS (SELECT 1 FROM cds_feedback f WHERE f.card_uuid = b.card_uuid AND f.rolled_up) AS first_seen
          FROM batch b JOIN cds_cards c ON c.uuid = b.card_uuid
      )${perGrain(
        'reasons',
        (g) => `INSERT INTO ${rollupTable('reason', g)} AS t (service_id, rule, bucket, code, display, count)
        SELECT service_id, rule, ${trunc(g, 'ts')}, code, max(display), count(*) FROM joined
         WHERE outcome = 'overridden' AND code IS NOT NULL GROUP BY 1, 2, 3, 4
        ON CONFLICT (service_id, rule, bucket, code) DO UPDATE SET count = t.count + EXCLUDED.count, display = coalesce(EXCLUDED.display, t.display)`,
      )}${perGrain(
        'rules',
        (g) => `INSERT INTO ${rollupTable('rule', g)} AS t (service_id, rule, bucket, accepted, overridden, with_feedback)
        SELECT service_id, rule, ${trunc(g, 'ts')}, count(*) FILTER (WHERE outcome = 'accepted'), count(*) FILTER (WHERE outcome = 'overridden'),
               count(DISTINCT card_uuid) FILTER (WHERE first_seen)
          FROM joined GROUP BY 1, 2, 3
        ON CONFLICT (service_id, rule, bucket) DO UPDATE SET accepted = t.accepted + EXCLUDED.accepted,
          overridden = t.overridden + EXCLUDED.overridden, with_feedback = t.with_feedback + EXCLUDED.with_feedback`,
      )}${perGrain(
        'services',
        (g) => `INSERT INTO ${rollupTable('service', g)} AS t (service_id, bucket, accepted, overridden)
        SELECT service_id, ${trunc(g, 'ts')}, count(*) FILTER (WHERE outcome = 'accepted'), count(*) FILTER (WHERE outcome = 'overridden')
          FROM joined GROUP BY 1, 2
        ON CONFLICT (service_id, bucket) DO UPDATE SET accepted = t.accepted + EXCLUDED.accepted, overridden = t.overridden + EXCLUDED.overridden`,
      )}
      SELECT count(*)::integer AS n FROM batch`,
  },
  {
    // A click whose token was refused before any lookup names no card: it is marked, not counted.
    table: 'link_events',
    sql: `WITH batch AS (
        UPDATE link_events SET rolled_up = true
         WHERE id IN (SELECT id FROM link_events WHERE NOT rolled_up LIMIT $1)
        RETURNING card_uuid, outcome
      ), joined AS (
        SELECT c.service_id, coalesce(c.rule, '') AS rule, c.issued_at AS ts, b.outcome FROM batch b JOIN cds_cards c ON c.uuid = b.card_uuid
      )${perGrain(
        'rules',
        (g) => `INSERT INTO ${rollupTable('rule', g)} AS t (service_id, rule, bucket, link_clicks, launches_minted)
        SELECT service_id, rule, ${trunc(g, 'ts')}, count(*), count(*) FILTER (WHERE outcome = 'launched') FROM joined GROUP BY 1, 2, 3
        ON CONFLICT (service_id, rule, bucket) DO UPDATE SET link_clicks = t.link_clicks + EXCLUDED.link_clicks,
          launches_minted = t.launches_minted + EXCLUDED.launches_minted`,
      )}${perGrain(
        'services',
        (g) => `INSERT INTO ${rollupTable('service', g)} AS t (service_id, bucket, link_clicks)
        SELECT service_id, ${trunc(g, 'ts')}, count(*) FROM joined GROUP BY 1, 2
        ON CONFLICT (service_id, bucket) DO UPDATE SET link_clicks = t.link_clicks + EXCLUDED.link_clicks`,
      )}
      SELECT count(*)::integer AS n FROM batch`,
  },
  {
    table: 'launch_events',
    sql: `WITH batch AS (
        UPDATE launch_events SET rolled_up = true
         WHERE id IN (SELECT id FROM launch_events WHERE NOT rolled_up LIMIT $1)
        RETURNING card_uuid, event
      ), joined AS (
        SELECT c.service_id, coalesce(c.rule, '') AS rule, c.issued_at AS ts, b.event FROM batch b JOIN cds_cards c ON c.uuid = b.card_uuid
      )${perGrain(
        'rules',
        (g) => `INSERT INTO ${rollupTable('rule', g)} AS t (service_id, rule, bucket, launches_authorized, tokens_issued)
        SELECT service_id, rule, ${trunc(g, 'ts')}, count(*) FILTER (WHERE event = 'authorized'), count(*) FILTER (WHERE event = 'token_issued')
          FROM joined GROUP BY 1, 2, 3
        ON CONFLICT (service_id, rule, bucket) DO UPDATE SET launches_authorized = t.launches_authorized + EXCLUDED.launches_authorized,
          tokens_issued = t.tokens_issued + EXCLUDED.tokens_issued`,
      )}
      SELECT count(*)::integer AS n FROM batch`,
  },
  {
    // `refused` (a write tried with no matching override) is not one of the contract's counters.
    table: 'override_events',
    sql: `WITH batch AS (
        UPDATE override_events SET rolled_up = true
         WHERE id IN (SELECT id FROM override_events WHERE NOT rolled_up LIMIT $1)
        RETURNING coalesce(service_id, '') AS service_id, rule, at AS ts, event
      )${perGrain(
        'rules',
        (g) => `INSERT INTO ${rollupTable('rule', g)} AS t (service_id, rule, bucket, overrides_requested, overrides_approved, overrides_denied, overrides_used)
        SELECT service_id, rule, ${trunc(g, 'ts')}, count(*) FILTER (WHERE event = 'requested'), count(*) FILTER (WHERE event = 'approved'),
               count(*) FILTER (WHERE event = 'denied'), count(*) FILTER (WHERE event = 'used')
          FROM batch WHERE event <> 'refused' GROUP BY 1, 2, 3
        ON CONFLICT (service_id, rule, bucket) DO UPDATE SET overrides_requested = t.overrides_requested + EXCLUDED.overrides_requested,
          overrides_approved = t.overrides_approved + EXCLUDED.overrides_approved, overrides_denied = t.overrides_denied + EXCLUDED.overrides_denied,
          overrides_used = t.overrides_used + EXCLUDED.overrides_used`,
      )}
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

const HOUR_MS = 3_600_000;
const DAY_MS = 86_400_000;

/**
 * A range as rollup rows: whole UTC days from the day tables, the hours before the first and after
 * the last whole day from the hour tables, so the answer equals the hour rows' and reads far fewer.
 * The hour buckets read are those starting in [from's hour, to).
 */
export function rangeParts(from: Date, to: Date, hoursOnly = false): { fromHour: Date; dayStart: Date; dayEnd: Date; to: Date } {
  const fromHour = new Date(Math.floor(from.getTime() / HOUR_MS) * HOUR_MS);
  const dayStart = new Date(Math.ceil(fromHour.getTime() / DAY_MS) * DAY_MS);
  const dayEnd = new Date(Math.floor(to.getTime() / DAY_MS) * DAY_MS);
  return dayStart < dayEnd && !hoursOnly ? { fromHour, dayStart, dayEnd, to } : { fromHour, dayStart: to, dayEnd: to, to };
}

/**
 * The rows of one rollup over a range, as a subquery (`columns` from the hour and the day table, or
 * from the hour table only), narrowed to the service and rule; its parameters start at `$first`.
 */
function rangeRows(
  name: 'service' | 'latency' | 'rule' | 'reason',
  columns: string,
  f: RangeFilter,
  opts: { withRule: boolean; hoursOnly?: boolean; first?: number },
): { sql: string; params: unknown[] } {
  const r = rangeParts(f.from, f.to, opts.hoursOnly);
  const first = opts.first ?? 1;
  const withRule = opts.withRule;
  const params: unknown[] = [r.fromHour, r.dayStart, r.dayEnd, r.to];
  const $ = (i: number) => `$${first + i}`;
  let narrow = '';
  if (f.service !== undefined) {
    params.push(f.service);
    narrow += ` AND service_id = ${$(params.length - 1)}`;
  }
  if (withRule && f.rule !== undefined) {
    params.push(f.rule);
    narrow += ` AND rule = ${$(params.length - 1)}`;
  }
  const sql = `(SELECT ${columns} FROM ${rollupTable(name, 'hour')}
                 WHERE ((bucket >= ${$(0)} AND bucket < ${$(1)}) OR (bucket >= ${$(2)} AND bucket < ${$(3)}))${narrow}
               UNION ALL
               SELECT ${columns} FROM ${rollupTable(name, 'day')} WHERE bucket >= ${$(1)} AND bucket < ${$(2)}${narrow})`;
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
    // Most reads find nothing pending: one cheap probe instead of six planned upserts under the lock.
    const [probe] = await this.db.query<{ pending: boolean }>(
      `SELECT ${FOLDS.map((f) => `EXISTS (SELECT 1 FROM ${f.table} WHERE NOT rolled_up)`).join(' OR ')} AS pending`,
    );
    if (!probe?.pending) return 0;
    return this.db.transaction(async (tx) => {
      await tx.query('LOCK TABLE analytics_rollup_lock IN EXCLUSIVE MODE');
      let folded = 0;
      for (const { sql } of FOLDS) folded += (await tx.query<{ n: number }>(sql, [batch]))[0]?.n ?? 0;
      return folded;
    });
  }

  /**
   * VACUUM (ANALYZE) of the raw tables and the rollups after many rows were marked, added to or
   * deleted: PGlite runs no autovacuum, and with stale statistics the planner would scan whole tables
   * (for the pending rows the partial indexes hold, for a range the bucket indexes hold). Outside any
   * transaction, as VACUUM must be.
   */
  async vacuum(): Promise<void> {
    const rollups = GRAINS.flatMap((g) => (['service', 'latency', 'rule', 'reason'] as const).map((name) => rollupTable(name, g)));
    for (const table of [...FOLDS.map((f) => f.table), ...rollups]) await this.db.query(`VACUUM (ANALYZE) ${table}`);
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
    const r = rangeRows('service', 'service_id, invocations, errors, prefetch_dropped', f, { withRule: false });
    return this.db.query<ServiceTotals>(
      `SELECT service_id, sum(invocations)::float8 AS invocations, sum(errors)::float8 AS errors, sum(prefetch_dropped)::float8 AS prefetch_dropped
         FROM ${r.sql} x GROUP BY 1 ORDER BY 1`,
      r.params,
    );
  }

  async latencyBins(f: RangeFilter): Promise<LatencyBins[]> {
    const r = rangeRows('latency', 'service_id, bin, count', f, { withRule: false });
    return this.db.query<LatencyBins>(`SELECT service_id, bin, sum(count)::float8 AS count FROM ${r.sql} x GROUP BY 1, 2 ORDER BY 1, 2`, r.params);
  }

  async ruleTotals(f: RangeFilter): Promise<RuleTotals[]> {
    const r = rangeRows('rule', `service_id, rule, ${NUMERIC_RULE_COLUMNS.join(', ')}`, f, { withRule: true });
    const sums = NUMERIC_RULE_COLUMNS.map((c) => `sum(${c})::float8 AS ${c}`).join(', ');
    return this.db.query<RuleTotals>(`SELECT service_id, rule, ${sums} FROM ${r.sql} x GROUP BY 1, 2 ORDER BY 1, 2`, r.params);
  }

  async reasonTotals(f: RangeFilter): Promise<ReasonTotals[]> {
    const r = rangeRows('reason', 'service_id, rule, code, display, count', f, { withRule: true });
    return this.db.query<ReasonTotals>(
      `SELECT service_id, rule, code, max(display) AS display, sum(count)::float8 AS count FROM ${r.sql} x GROUP BY 1, 2, 3 ORDER BY 1, 2, 5 DESC, 3`,
      r.params,
    );
  }

  /**
   * Sums per `unit` bucket; invocations are the service's whatever the rule filter (calls have no
   * rule). Hour buckets read only the hour tables; day buckets read whole days from the day tables.
   * Without a rule filter the service rows hold everything; with one, cards come from that rule's rows.
   */
  async buckets(f: RangeFilter, unit: 'hour' | 'day'): Promise<BucketTotals[]> {
    const hoursOnly = unit === 'hour';
    const start = `date_trunc('${unit}', bucket, 'UTC')`;
    if (f.rule === undefined) {
      const r = rangeRows('service', 'bucket, invocations, cards, accepted, overridden, link_clicks', f, { withRule: false, hoursOnly });
      return this.db.query<BucketTotals>(
        `SELECT ${start} AS start, sum(invocations)::float8 AS invocations, sum(cards)::float8 AS cards, sum(accepted)::float8 AS accepted,
                sum(overridden)::float8 AS overridden, sum(link_clicks)::float8 AS link_clicks
           FROM ${r.sql} x GROUP BY 1 ORDER BY 1`,
        r.params,
      );
    }
    const calls = rangeRows('service', 'bucket, invocations', f, { withRule: false, hoursOnly });
    const cards = rangeRows('rule', 'bucket, cards, accepted, overridden, link_clicks', f, { withRule: true, hoursOnly, first: calls.params.length + 1 });
    return this.db.query<BucketTotals>(
      `WITH calls AS (
         SELECT ${start} AS start, sum(invocations) AS invocations FROM ${calls.sql} x GROUP BY 1
       ), cards AS (
         SELECT ${start} AS start, sum(cards) AS cards, sum(accepted) AS accepted, sum(overridden) AS overridden, sum(link_clicks) AS link_clicks
           FROM ${cards.sql} y GROUP BY 1
       )
       SELECT coalesce(calls.start, cards.start) AS start, coalesce(calls.invocations, 0)::float8 AS invocations,
              coalesce(cards.cards, 0)::float8 AS cards, coalesce(cards.accepted, 0)::float8 AS accepted,
              coalesce(cards.overridden, 0)::float8 AS overridden, coalesce(cards.link_clicks, 0)::float8 AS link_clicks
         FROM calls FULL JOIN cards ON calls.start = cards.start ORDER BY 1`,
      [...calls.params, ...cards.params],
    );
  }
}

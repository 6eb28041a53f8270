import { type LatencyPercentiles, percentiles } from './latency.js';
import type { BucketTotals, LatencyBins, ReasonTotals, RuleTotals, ServiceTotals } from './rollups.repository.js';

/** DESIGN.md §Analytics contract: one rule of a service in `GET /analytics/v1/summary`. */
export interface RuleSummary {
  rule: string;
  cards: number;
  accepted: number;
  overridden: number;
  ignored: number;
  acceptanceRate: number | null;
  overrideRate: number | null;
  overrideReasons: { code: string; display: string | null; count: number }[];
  linkClicks: number;
  launches: { minted: number; authorized: number; tokenIssued: number };
  overrides: { requested: number; approved: number; denied: number; used: number };
}

export interface ServiceSummary {
  service: string;
  invocations: number;
  errors: number;
  prefetchDropped: number;
  latencyMs: LatencyPercentiles;
  rules: RuleSummary[];
}

export interface Summary {
  from: string;
  to: string;
  services: ServiceSummary[];
}

/** DESIGN.md §Analytics contract: one bucket of `GET /analytics/v1/timeseries`. */
export interface Bucket {
  start: string;
  invocations: number;
  cards: number;
  accepted: number;
  overridden: number;
  linkClicks: number;
}

/** Rates are fractions of `cards` (DESIGN.md); with no card there is no rate. */
const rate = (n: number, cards: number): number | null => (cards === 0 ? null : n / cards);

function ruleSummary(t: RuleTotals, reasons: readonly ReasonTotals[]): RuleSummary {
  return {
    rule: t.rule,
    cards: t.cards,
    accepted: t.accepted,
    overridden: t.overridden,
    // "ignored = cards with no feedback at all".
    ignored: t.cards - t.with_feedback,
    acceptanceRate: rate(t.accepted, t.cards),
    overrideRate: rate(t.overridden, t.cards),
    overrideReasons: reasons.map((r) => ({ code: r.code, display: r.display, count: r.count })),
    linkClicks: t.link_clicks,
    launches: { minted: t.launches_minted, authorized: t.launches_authorized, tokenIssued: t.tokens_issued },
    overrides: { requested: t.overrides_requested, approved: t.overrides_approved, denied: t.overrides_denied, used: t.overrides_used },
  };
}

/** The summary document from the range's rollup totals: every service with any activity, by id. */
export function buildSummary(
  range: { from: Date; to: Date },
  totals: { services: readonly ServiceTotals[]; latency: readonly LatencyBins[]; rules: readonly RuleTotals[]; reasons: readonly ReasonTotals[] },
): Summary {
  const ids = [...new Set([...totals.services.map((s) => s.service_id), ...totals.rules.map((r) => r.service_id)])].sort();
  return {
    from: range.from.toISOString(),
    to: range.to.toISOString(),
    services: ids.map((id) => {
      const s = totals.services.find((x) => x.service_id === id);
      return {
        service: id,
        invocations: s?.invocations ?? 0,
        errors: s?.errors ?? 0,
        prefetchDropped: s?.prefetch_dropped ?? 0,
        latencyMs: percentiles(totals.latency.filter((b) => b.service_id === id)),
        rules: totals.rules
          .filter((r) => r.service_id === id)
          .map((r) => ruleSummary(r, totals.reasons.filter((x) => x.service_id === id && x.rule === r.rule))),
      };
    }),
  };
}

const STEP_MS = { hour: 3600_000, day: 86_400_000 } as const;

/** The first bucket start at or before `at` (UTC hours and days). */
export function bucketStart(at: Date, unit: 'hour' | 'day'): Date {
  return new Date(Math.floor(at.getTime() / STEP_MS[unit]) * STEP_MS[unit]);
}

/** Every bucket of the range, in order, zeros where nothing happened, so a chart has no gaps. */
export function buildBuckets(range: { from: Date; to: Date }, unit: 'hour' | 'day', rows: readonly BucketTotals[]): Bucket[] {
  const byStart = new Map(rows.map((r) => [new Date(r.start).getTime(), r]));
  const out: Bucket[] = [];
  for (let t = bucketStart(range.from, unit).getTime(); t < range.to.getTime(); t += STEP_MS[unit]) {
    const r = byStart.get(t);
    out.push({
      start: new Date(t).toISOString(),
      invocations: r?.invocations ?? 0,
      cards: r?.cards ?? 0,
      accepted: r?.accepted ?? 0,
      overridden: r?.overridden ?? 0,
      linkClicks: r?.link_clicks ?? 0,
    });
  }
  return out;
}

/** Buckets a range spans, to refuse a request that would answer an unbounded series. */
export function bucketCount(range: { from: Date; to: Date }, unit: 'hour' | 'day'): number {
  return Math.ceil((range.to.getTime() - bucketStart(range.from, unit).getTime()) / STEP_MS[unit]);
}

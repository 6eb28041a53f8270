import type { Bucket, Summary } from './summary.js';

/** One CSV row: column name → value (null = empty cell). */
export type Row = Record<string, string | number | null>;

/** The summary's columns: one row per (service, rule); a service without cards or overrides has one row with empty rule columns. */
export const SUMMARY_COLUMNS = [
  'service',
  'invocations',
  'errors',
  'prefetchDropped',
  'latencyMs.p50',
  'latencyMs.p95',
  'latencyMs.p99',
  'rule',
  'cards',
  'accepted',
  'overridden',
  'ignored',
  'acceptanceRate',
  'overrideRate',
  'overrideReasons',
  'linkClicks',
  'launches.minted',
  'launches.authorized',
  'launches.tokenIssued',
  'overrides.requested',
  'overrides.approved',
  'overrides.denied',
  'overrides.used',
] as const;

export const TIMESERIES_COLUMNS = ['start', 'invocations', 'cards', 'accepted', 'overridden', 'linkClicks'] as const;

/** The summary flattened to rows, DESIGN.md field names joined with dots; reasons as `code=count` joined by `;`. */
export function summaryRows(summary: Summary): Row[] {
  return summary.services.flatMap((s) => {
    const service: Row = {
      service: s.service,
      invocations: s.invocations,
      errors: s.errors,
      prefetchDropped: s.prefetchDropped,
      'latencyMs.p50': s.latencyMs.p50,
      'latencyMs.p95': s.latencyMs.p95,
      'latencyMs.p99': s.latencyMs.p99,
    };
    if (s.rules.length === 0) return [{ ...Object.fromEntries(SUMMARY_COLUMNS.map((c) => [c, null])), ...service }];
    return s.rules.map((r) => ({
      ...service,
      rule: r.rule,
      cards: r.cards,
      accepted: r.accepted,
      overridden: r.overridden,
      ignored: r.ignored,
      acceptanceRate: r.acceptanceRate,
      overrideRate: r.overrideRate,
      overrideReasons: r.overrideReasons.map((x) => `${x.code}=${x.count}`).join(';'),
      linkClicks: r.linkClicks,
      'launches.minted': r.launches.minted,
      'launches.authorized': r.launches.authorized,
      'launches.tokenIssued': r.launches.tokenIssued,
      'overrides.requested': r.overrides.requested,
      'overrides.approved': r.overrides.approved,
      'overrides.denied': r.overrides.denied,
      'overrides.used': r.overrides.used,
    }));
  });
}

export function timeseriesRows(buckets: readonly Bucket[]): Row[] {
  return buckets.map((b) => ({ ...b }));
}

/**
 * One RFC 4180 field: quoted when it holds a comma, quote or line break. Text that a spreadsheet
 * would run as a formula (OWASP "CSV injection": = + - @ tab CR) gets a leading apostrophe;
 * the ids and codes in these rows come partly from EHRs.
 */
function field(v: string | number | null): string {
  if (v === null) return '';
  if (typeof v === 'number') return String(v);
  const safe = /^[=+\-@\t\r]/.test(v) ? `'${v}` : v;
  return /[",\r\n]/.test(safe) ? `"${safe.replaceAll('"', '""')}"` : safe;
}

/** RFC 4180 text/csv: a header line, then one line per row, CRLF-terminated. */
export function toCsv(columns: readonly string[], rows: readonly Row[]): string {
  return [columns.join(','), ...rows.map((r) => columns.map((c) => field(r[c] ?? null)).join(','))].map((line) => `${line}\r\n`).join('');
}

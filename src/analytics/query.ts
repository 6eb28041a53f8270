import { InvalidRequest } from '../smart/oauth-errors.js';
import { bucketCount } from './summary.js';

/** A validated analytics query (DESIGN.md §Analytics contract). */
export interface AnalyticsQuery {
  from: Date;
  to: Date;
  service?: string;
  rule?: string;
  bucket: 'hour' | 'day';
  format: 'json' | 'csv';
}

/** DESIGN.md: "default: the last 30 days". */
export const DEFAULT_RANGE_DAYS = 30;
/** A time series longer than this is refused rather than answered with an unbounded body. */
export const MAX_BUCKETS = 10_000;

// An ISO 8601 instant: a date and time with an explicit offset (RFC 3339 §5.6 date-time).
const INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:\d{2})$/;
const ID = /^[A-Za-z0-9][A-Za-z0-9._:-]{0,127}$/;

function one(query: Record<string, unknown>, name: string): string | undefined {
  const v = query[name];
  if (v === undefined) return undefined;
  if (typeof v !== 'string') throw new InvalidRequest(`${name} must be given once`);
  return v;
}

function instant(query: Record<string, unknown>, name: string): Date | undefined {
  const v = one(query, name);
  if (v === undefined) return undefined;
  const t = INSTANT.test(v) ? Date.parse(v) : Number.NaN;
  if (Number.isNaN(t)) throw new InvalidRequest(`${name} must be an ISO 8601 instant with an offset, e.g. 2026-01-31T00:00:00Z`);
  return new Date(t);
}

function id(query: Record<string, unknown>, name: string): string | undefined {
  const v = one(query, name);
  if (v === undefined || v === '') return undefined;
  if (!ID.test(v)) throw new InvalidRequest(`${name} is not a service or rule id`);
  return v;
}

/** RFC 9110 §12.5.1: CSV when `?format=csv` or when the Accept header names text/csv (and `format` does not say json). */
function format(query: Record<string, unknown>, accept: string | undefined): 'json' | 'csv' {
  const f = one(query, 'format');
  if (f !== undefined && f !== 'json' && f !== 'csv') throw new InvalidRequest('format must be json or csv');
  if (f !== undefined) return f;
  return /(^|,)\s*text\/csv\b/i.test(accept ?? '') ? 'csv' : 'json';
}

/** Reads `service, rule, bucket, from, to, format` of an analytics request; a bad value is 400 invalid_request. */
export function parseAnalyticsQuery(query: Record<string, unknown>, accept: string | undefined, now: Date): AnalyticsQuery {
  const to = instant(query, 'to') ?? now;
  const from = instant(query, 'from') ?? new Date(to.getTime() - DEFAULT_RANGE_DAYS * 86_400_000);
  if (from.getTime() >= to.getTime()) throw new InvalidRequest('from must be before to');
  const b = one(query, 'bucket') ?? 'day';
  if (b !== 'hour' && b !== 'day') throw new InvalidRequest('bucket must be hour or day');
  if (bucketCount({ from, to }, b) > MAX_BUCKETS) throw new InvalidRequest(`the range spans more than ${MAX_BUCKETS} buckets; use bucket=day or a shorter range`);
  const service = id(query, 'service');
  const rule = id(query, 'rule');
  return { from, to, bucket: b, format: format(query, accept), ...(service === undefined ? {} : { service }), ...(rule === undefined ? {} : { rule }) };
}

import type { LoadResult } from './load.js';

export type Database = 'PGlite' | 'PostgreSQL';

/** An HTTP row: one endpoint at one connection count, measured from the load core. */
export interface HttpRow {
  kind: 'http';
  /** Stable id; a row names its baseline by this id (matched at the same connection count). */
  id: string;
  label: string;
  /** The app's database; none for the baselines. */
  database?: Database;
  connections: number;
  /** Id of the baseline row this row's req/s is divided by. */
  baseline?: string;
  result: LoadResult;
  /** Short facts about the row (cards per call, matches per search…). */
  note?: string;
  /** Filled by withRatios: req/s ÷ the baseline's req/s in this run. */
  ratio?: number;
}

/** A throughput measured inside one process (verifications, the scope filter). */
export interface RateRow {
  kind: 'rate';
  id: string;
  label: string;
  unit: string;
  value: number;
  /** What the value is compared with, measured in the same process. */
  baseline?: { label: string; value: number };
  ratio?: number;
}

export type Row = HttpRow | RateRow;

/** Fills each row's ratio from its baseline in the same run; a row whose baseline is missing keeps none. */
export function withRatios(rows: Row[]): Row[] {
  return rows.map((row) => {
    if (row.kind === 'rate') return row.baseline ? { ...row, ratio: row.value / row.baseline.value } : row;
    // A baseline with a database (an app row) is the one on the row's database; the bare ones have none.
    const base =
      row.baseline &&
      rows.find((b): b is HttpRow => b.kind === 'http' && b.id === row.baseline && b.connections === row.connections && (b.database === undefined || b.database === row.database));
    return base && base.result.rps > 0 ? { ...row, ratio: row.result.rps / base.result.rps } : row;
  });
}

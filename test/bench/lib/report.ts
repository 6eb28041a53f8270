import { writeFileSync } from 'node:fs';
import type { HttpRow, RateRow, Row } from './rows.js';

const integer = new Intl.NumberFormat('en-US', { maximumFractionDigits: 0 });
const ms = (v: number) => (v >= 10 ? v.toFixed(0) : v.toFixed(1));

function table(header: string[], lines: string[][], rightAligned: Set<number>): string {
  const widths = header.map((h, i) => Math.max(h.length, ...lines.map((l) => l[i].length)));
  const format = (cells: string[]) => cells.map((c, i) => (rightAligned.has(i) ? c.padStart(widths[i]) : c.padEnd(widths[i]))).join('  ').trimEnd();
  return [format(header), format(widths.map((w) => '-'.repeat(w))), ...lines.map(format)].join('\n');
}

/** Failures are never averaged away: any non-2xx or socket error is named on its row. */
function problems(row: HttpRow): string | undefined {
  const { non2xx, errors, statusCodes } = row.result;
  if (non2xx === 0 && errors === 0) return undefined;
  const codes = Object.entries(statusCodes).filter(([code]) => !code.startsWith('2')).map(([code, n]) => `${code}×${n}`);
  return `!! ${non2xx} non-2xx${codes.length ? ` (${codes.join(', ')})` : ''}, ${errors} errors`;
}

function httpTable(rows: HttpRow[]): string {
  const label = (id: string) => rows.find((r) => r.id === id)?.label ?? id;
  const lines = rows.map((r) => [
    r.label,
    r.database ?? '-',
    String(r.connections),
    integer.format(r.result.rps),
    ms(r.result.p50),
    ms(r.result.p99),
    r.ratio === undefined ? '-' : r.ratio.toFixed(2),
    r.baseline ? label(r.baseline) : '-',
    [problems(r), r.note, r.result.tokens].filter(Boolean).join('; '),
  ]);
  return table(['row', 'database', 'conn', 'req/s', 'p50 ms', 'p99 ms', 'ratio', '÷ baseline (same conn)', 'notes'], lines, new Set([2, 3, 4, 5, 6]));
}

function rateTable(rows: RateRow[]): string {
  const lines = rows.map((r) => [
    r.label,
    `${integer.format(r.value)} ${r.unit}`,
    r.baseline ? `${r.baseline.label}: ${integer.format(r.baseline.value)} ${r.unit}` : '-',
    r.ratio === undefined ? '-' : r.ratio.toFixed(3),
  ]);
  return table(['row', 'rate', 'baseline (same process)', 'ratio'], lines, new Set([1, 3]));
}

/** The run as tables on stdout. */
export function printReport(title: string, rows: Row[]): void {
  const http = rows.filter((r): r is HttpRow => r.kind === 'http');
  const rates = rows.filter((r): r is RateRow => r.kind === 'rate');
  console.log(`\n${title}\n`);
  if (http.length) console.log(`${httpTable(http)}\n`);
  if (rates.length) console.log(`${rateTable(rates)}\n`);
}

/** The run as JSON (bench-results.json at the repository root, git-ignored). */
export function writeReport(path: string, meta: Record<string, unknown>, rows: Row[]): void {
  writeFileSync(path, `${JSON.stringify({ meta, rows }, null, 2)}\n`);
}

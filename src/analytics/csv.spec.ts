import { SUMMARY_COLUMNS, summaryRows, toCsv } from './csv.js';
import type { Summary } from './summary.js';

const rule = {
  rule: 'drug-allergy',
  cards: 4,
  accepted: 1,
  overridden: 2,
  ignored: 1,
  acceptanceRate: 0.25,
  overrideRate: 0.5,
  overrideReasons: [
    { code: 'tolerated', display: 'Tolerated before', count: 2 },
    { code: 'other', display: null, count: 1 },
  ],
  linkClicks: 3,
  launches: { minted: 3, authorized: 2, tokenIssued: 1 },
  overrides: { requested: 1, approved: 1, denied: 0, used: 1 },
};
const summary: Summary = {
  from: '2026-03-01T00:00:00.000Z',
  to: '2026-03-02T00:00:00.000Z',
  services: [
    { service: 'svc', invocations: 5, errors: 1, prefetchDropped: 0, latencyMs: { p50: 1.5, p95: 9, p99: 9 }, rules: [rule] },
    { service: 'quiet', invocations: 2, errors: 0, prefetchDropped: 0, latencyMs: { p50: 1, p95: 1, p99: 1 }, rules: [] },
  ],
};

describe('analytics CSV (RFC 4180)', () => {
  it('flattens the summary to one row per service and rule, DESIGN field names joined by dots', () => {
    const rows = summaryRows(summary);
    expect(rows).toHaveLength(2);
    expect(rows[0]).toMatchObject({ service: 'svc', 'latencyMs.p50': 1.5, rule: 'drug-allergy', overrideReasons: 'tolerated=2;other=1', 'launches.tokenIssued': 1 });
    expect(Object.keys(rows[1]).sort()).toEqual([...SUMMARY_COLUMNS].sort());
    expect(rows[1]).toMatchObject({ service: 'quiet', invocations: 2, rule: null, cards: null });
  });

  it('writes a header and CRLF lines; null is an empty cell', () => {
    const csv = toCsv(['a', 'b'], [{ a: 1, b: null }, { a: 'x', b: 0.5 }]);
    expect(csv).toBe('a,b\r\n1,\r\nx,0.5\r\n');
  });

  it('quotes commas, quotes and line breaks', () => {
    expect(toCsv(['a'], [{ a: 'x,"y"\nz' }])).toBe('a\r\n"x,""y""\nz"\r\n');
  });

  it('defuses text a spreadsheet would run as a formula (OWASP CSV injection)', () => {
    expect(toCsv(['a'], [{ a: '=HYPERLINK("x")' }, { a: '+1' }, { a: '@SUM(A1)' }, { a: 'fine' }])).toBe("a\r\n\"'=HYPERLINK(\"\"x\"\")\"\r\n'+1\r\n'@SUM(A1)\r\nfine\r\n");
  });
});

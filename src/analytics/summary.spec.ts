import type { RuleTotals } from './rollups.repository.js';
import { bucketCount, buildBuckets, buildSummary } from './summary.js';

const zero: Omit<RuleTotals, 'service_id' | 'rule'> = {
  cards: 0,
  accepted: 0,
  overridden: 0,
  with_feedback: 0,
  link_clicks: 0,
  launches_minted: 0,
  launches_authorized: 0,
  tokens_issued: 0,
  overrides_requested: 0,
  overrides_approved: 0,
  overrides_denied: 0,
  overrides_used: 0,
};
const range = { from: new Date('2026-03-01T00:00:00Z'), to: new Date('2026-03-01T03:00:00Z') };

describe('analytics summary', () => {
  it('computes ignored = cards with no feedback and rates as fractions of cards', () => {
    const s = buildSummary(range, {
      services: [{ service_id: 'svc', invocations: 3, errors: 1, prefetch_dropped: 2 }],
      latency: [{ service_id: 'svc', bin: 100, count: 3 }],
      rules: [{ ...zero, service_id: 'svc', rule: 'r1', cards: 4, accepted: 1, overridden: 2, with_feedback: 3, link_clicks: 1, launches_minted: 1 }],
      reasons: [{ service_id: 'svc', rule: 'r1', code: 'c', display: 'C', count: 2 }],
    });
    expect(s.from).toBe('2026-03-01T00:00:00.000Z');
    expect(s.services).toHaveLength(1);
    expect(s.services[0]).toMatchObject({ service: 'svc', invocations: 3, errors: 1, prefetchDropped: 2 });
    expect(s.services[0].rules[0]).toEqual({
      rule: 'r1',
      cards: 4,
      accepted: 1,
      overridden: 2,
      ignored: 1,
      acceptanceRate: 0.25,
      overrideRate: 0.5,
      overrideReasons: [{ code: 'c', display: 'C', count: 2 }],
      linkClicks: 1,
      launches: { minted: 1, authorized: 0, tokenIssued: 0 },
      overrides: { requested: 0, approved: 0, denied: 0, used: 0 },
    });
  });

  it('has no rate for a rule without cards (override events only), and lists a service seen only there', () => {
    const s = buildSummary(range, { services: [], latency: [], rules: [{ ...zero, service_id: 'svc', rule: 'uncoded', overrides_requested: 2 }], reasons: [] });
    expect(s.services[0]).toMatchObject({ service: 'svc', invocations: 0, latencyMs: { p50: null, p95: null, p99: null } });
    expect(s.services[0].rules[0]).toMatchObject({ acceptanceRate: null, overrideRate: null, overrides: { requested: 2, approved: 0, denied: 0, used: 0 } });
  });

  it('fills every bucket of the range with zeros where nothing happened', () => {
    const buckets = buildBuckets(range, 'hour', [{ start: new Date('2026-03-01T01:00:00Z'), invocations: 2, cards: 1, accepted: 1, overridden: 0, link_clicks: 0 }]);
    expect(buckets.map((b) => [b.start, b.invocations, b.cards])).toEqual([
      ['2026-03-01T00:00:00.000Z', 0, 0],
      ['2026-03-01T01:00:00.000Z', 2, 1],
      ['2026-03-01T02:00:00.000Z', 0, 0],
    ]);
    expect(bucketCount(range, 'hour')).toBe(3);
    expect(bucketCount({ from: new Date('2026-03-01T10:00:00Z'), to: new Date('2026-03-02T00:00:01Z') }, 'day')).toBe(2);
  });
});

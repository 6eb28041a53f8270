import { InvalidRequest } from '../smart/oauth-errors.js';
import { parseAnalyticsQuery } from './query.js';

const now = new Date('2026-03-10T12:34:56Z');
const parse = (q: Record<string, unknown>, accept?: string) => parseAnalyticsQuery(q, accept, now);

describe('analytics query (DESIGN.md §Analytics contract)', () => {
  it('defaults to the last 30 days, day buckets, JSON', () => {
    expect(parse({})).toEqual({ from: new Date('2026-02-08T12:34:56Z'), to: now, bucket: 'day', format: 'json' });
  });

  it('reads ISO instants with an offset, service, rule and bucket', () => {
    expect(parse({ from: '2026-03-01T00:00:00+01:00', to: '2026-03-02T00:00:00.5Z', service: 'svc-a', rule: 'onc-hp-ddi-11', bucket: 'hour' })).toEqual({
      from: new Date('2026-02-28T23:00:00Z'),
      to: new Date('2026-03-02T00:00:00.500Z'),
      service: 'svc-a',
      rule: 'onc-hp-ddi-11',
      bucket: 'hour',
      format: 'json',
    });
  });

  it('answers CSV for ?format=csv or Accept: text/csv; format wins over Accept', () => {
    expect(parse({ format: 'csv' }).format).toBe('csv');
    expect(parse({}, 'text/csv').format).toBe('csv');
    expect(parse({}, 'application/json, text/csv;q=0.5').format).toBe('csv');
    expect(parse({ format: 'json' }, 'text/csv').format).toBe('json');
    expect(parse({}, 'application/json').format).toBe('json');
  });

  it.each([
    [{ from: '2026-03-01' }, 'from must be an ISO 8601 instant'],
    [{ to: 'yesterday' }, 'to must be an ISO 8601 instant'],
    [{ from: '2026-13-45T00:00:00Z' }, 'from must be an ISO 8601 instant'],
    [{ from: '2026-03-02T00:00:00Z', to: '2026-03-01T00:00:00Z' }, 'from must be before to'],
    [{ bucket: 'week' }, 'bucket must be hour or day'],
    [{ format: 'xml' }, 'format must be json or csv'],
    [{ service: ['a', 'b'] }, 'service must be given once'],
    [{ rule: 'no spaces please' }, 'rule is not a service or rule id'],
    [{ bucket: 'hour', from: '2020-01-01T00:00:00Z' }, 'more than 10000 buckets'],
  ])('refuses %j with 400 invalid_request', (q, message) => {
    expect(() => parse(q)).toThrow(InvalidRequest);
    expect(() => parse(q)).toThrow(message);
  });
});

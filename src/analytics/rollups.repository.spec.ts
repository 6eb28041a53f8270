import { rangeParts } from './rollups.repository.js';

const d = (s: string) => new Date(s);

describe('rangeParts: whole days from the day rollups, the edges from the hour rollups', () => {
  it('splits a range with whole days inside into hour edges around the days', () => {
    expect(rangeParts(d('2026-03-01T10:15:00Z'), d('2026-03-04T05:30:00Z'))).toEqual({
      fromHour: d('2026-03-01T10:00:00Z'),
      dayStart: d('2026-03-02T00:00:00Z'),
      dayEnd: d('2026-03-04T00:00:00Z'),
      to: d('2026-03-04T05:30:00Z'),
    });
  });

  it('reads a range of exactly whole days from the day rollups only', () => {
    const r = rangeParts(d('2026-03-01T00:00:00Z'), d('2026-03-03T00:00:00Z'));
    expect(r).toEqual({ fromHour: d('2026-03-01T00:00:00Z'), dayStart: d('2026-03-01T00:00:00Z'), dayEnd: d('2026-03-03T00:00:00Z'), to: d('2026-03-03T00:00:00Z') });
  });

  it('reads a range without a whole day, or an hour series, from the hour rollups only', () => {
    const within = rangeParts(d('2026-03-01T10:15:00Z'), d('2026-03-02T09:00:00Z'));
    expect(within).toEqual({ fromHour: d('2026-03-01T10:00:00Z'), dayStart: d('2026-03-02T09:00:00Z'), dayEnd: d('2026-03-02T09:00:00Z'), to: d('2026-03-02T09:00:00Z') });
    const hours = rangeParts(d('2026-03-01T00:00:00Z'), d('2026-03-05T00:00:00Z'), true);
    expect(hours.dayStart).toEqual(hours.to);
    expect(hours.dayEnd).toEqual(hours.to);
  });
});

import { InvalidRequestError } from '../cds-errors.js';
import { FeedbackRequestDto, isUtcInstant, RFC3339_UTC } from './feedback.dto.js';
import { validateBody } from './validate-body.js';

const item = (extra: Record<string, unknown> = {}) => ({
  card: 'c1',
  outcome: 'accepted',
  acceptedSuggestions: [{ id: 's1' }],
  outcomeTimestamp: '2026-11-23T09:30:00Z',
  ...extra,
});

async function paths(body: unknown): Promise<string[]> {
  try {
    await validateBody(FeedbackRequestDto, body);
    return [];
  } catch (e) {
    if (!(e instanceof InvalidRequestError)) throw e;
    return [...new Set(e.problems.map((p) => p.path))];
  }
}

describe('FeedbackRequestDto (§Feedback)', () => {
  it('accepts accepted and overridden items, and tolerates extensions', async () => {
    const reason = { code: 'c', system: 's', display: 'd' };
    expect(
      await paths({
        feedback: [
          item({ extension: { a: 1 } }),
          item({ outcome: 'overridden', acceptedSuggestions: undefined, overrideReason: { reason } }),
          item({ outcome: 'overridden', acceptedSuggestions: undefined, overrideReason: { userComment: 'why' } }),
          item({ outcome: 'overridden', acceptedSuggestions: undefined }),
        ],
      }),
    ).toEqual([]);
  });

  it('requires the array wrapper with at least one item', async () => {
    expect(await paths({ feedback: [] })).toEqual(['feedback']);
    expect(await paths({ feedback: item() })).toEqual(['feedback']);
  });

  it('cds-fb-1 outcome is accepted or overridden', async () => {
    expect(await paths({ feedback: [item({ outcome: 'ignored' })] })).toEqual(['feedback[0].outcome']);
  });

  it('cds-fb-2 accepted needs a non-empty acceptedSuggestions of {id}', async () => {
    expect(await paths({ feedback: [item({ acceptedSuggestions: undefined })] })).toEqual(['feedback[0].acceptedSuggestions']);
    expect(await paths({ feedback: [item({ acceptedSuggestions: [{}] })] })).toEqual(['feedback[0].acceptedSuggestions[0].id']);
  });

  it('cds-fb-3 overrideReason needs a reason Coding or a userComment', async () => {
    expect(await paths({ feedback: [item({ overrideReason: {} })] })).toEqual(['feedback[0].overrideReason.reason']);
    expect(await paths({ feedback: [item({ overrideReason: { reason: { code: 'c' } } })] })).toEqual(['feedback[0].overrideReason.reason.system']);
  });

  it('card and outcomeTimestamp are required', async () => {
    expect(await paths({ feedback: [item({ card: undefined, outcomeTimestamp: undefined })] })).toEqual(['feedback[0].card', 'feedback[0].outcomeTimestamp']);
  });
});

describe('RFC3339_UTC', () => {
  it('accepts UTC date-times with Z or +00:00, with or without fractions', () => {
    for (const t of ['2026-11-23T09:30:00Z', '2026-11-23T09:30:00.5z', '2026-11-23T09:30:00.123+00:00']) expect(RFC3339_UTC.test(t)).toBe(true);
  });

  it('refuses other offsets, -00:00, missing zones and non-dates', () => {
    for (const t of ['2026-11-23T10:30:00+01:00', '2026-11-23T09:30:00-00:00', '2026-11-23T09:30:00', '2026-11-23 09:30:00Z', '2026-13-01T00:00:00Z', 'yesterday']) {
      expect(RFC3339_UTC.test(t)).toBe(false);
    }
  });
});

describe('isUtcInstant', () => {
  it('accepts leap days of leap years and the leap second', () => {
    for (const t of ['2028-02-29T00:00:00Z', '2000-02-29T00:00:00Z', '2026-12-31T23:59:60Z', '0001-01-01T00:00:00Z']) expect(isUtcInstant(t)).toBe(true);
  });

  it('refuses year 0000, days a month does not have and non-strings', () => {
    for (const t of ['0000-01-01T00:00:00Z', '2026-02-30T00:00:00Z', '2025-02-29T00:00:00Z', '1900-02-29T00:00:00Z', '2026-04-31T00:00:00Z', 42, null]) expect(isUtcInstant(t)).toBe(false);
  });
});

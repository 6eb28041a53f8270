import type { UnavailablePrefetch, UnavailableReason } from '../../../src/cds/cds-types.js';
import { cardShapeProblems, markdownProblems } from '../testing/card-shape.js';
import { notPerformedCard } from './not-performed.js';

// issue 10.5: one warning card naming each check that could not be performed, and why, in plain words.
const card = (...gaps: UnavailablePrefetch[]) => notPerformedCard(gaps)!;
const items = (detail: string | undefined) => (detail ?? '').split('\n').filter((l) => l.startsWith('- '));

describe('notPerformedCard', () => {
  it('makes no card when every check had its data, or only data no check reads is missing', () => {
    expect(notPerformedCard([])).toBeUndefined();
    expect(notPerformedCard([{ key: 'patient', reason: 'fetch-failed' }])).toBeUndefined();
  });

  it('says "Drug–allergy check not performed: the patient’s allergy list could not be retrieved."', () => {
    const c = card({ key: 'allergyIntolerances', reason: 'fetch-failed' });
    expect(c.indicator).toBe('warning');
    expect(c.summary).toBe('Medication safety checks incomplete: drug–allergy');
    expect(items(c.detail)).toEqual(['- **Drug–allergy check not performed:** the patient’s allergy list could not be retrieved.']);
    expect(c.source.topic?.code).toBe('checks-not-performed');
  });

  it.each([
    ['not-supplied-and-not-fetchable', 'was not sent by the EHR, and this service had no access to fetch it'],
    ['fetch-failed', 'could not be retrieved'],
    ['scope-dropped', 'is not covered by the access granted for this call'],
    ['invalid-data', 'could not be read'],
    ['too-large', 'was too large to check'],
  ] as [UnavailableReason, string][])('a whole key unavailable for %s: "%s"', (reason, words) => {
    expect(items(card({ key: 'medicationRequests', reason }).detail)).toEqual([
      `- **Interaction and duplicate-therapy checks against the patient’s active medication orders not performed:** the patient’s list of active medication orders ${words}.`,
    ]);
  });

  it('says how many records were left out, and why, when the rest was checked', () => {
    const c = card({ key: 'allergyIntolerances', reason: 'invalid-data', entries: 1 }, { key: 'allergyIntolerances', reason: 'scope-dropped', entries: 2 });
    expect(items(c.detail)).toEqual([
      '- **Drug–allergy check incomplete:** 1 allergy record left out (could not be read); 2 allergy records left out (not covered by the access granted for this call). The rest was checked.',
    ]);
  });

  it('says records may be missing when the search reported an error, without a count', () => {
    expect(items(card({ key: 'medicationStatements', reason: 'fetch-failed', entries: 1 }).detail)).toEqual([
      '- **Interaction and duplicate-therapy checks against the patient’s reported medications incomplete:** the search for the patient’s list of reported medications (medication statements) reported an error, so some records may be missing. The rest was checked.',
    ]);
  });

  it('joins several reasons for one key, once each', () => {
    const c = card({ key: 'allergyIntolerances', reason: 'scope-dropped' }, { key: 'allergyIntolerances', reason: 'invalid-data' }, { key: 'allergyIntolerances', reason: 'invalid-data' });
    expect(items(c.detail)).toEqual(['- **Drug–allergy check not performed:** the patient’s allergy list is not covered by the access granted for this call and could not be read.']);
  });

  it('names unreadable draft orders', () => {
    expect(items(card({ key: 'draftOrders', reason: 'invalid-data', entries: 2 }).detail)).toEqual([
      '- **Checks of the draft orders incomplete:** 2 draft orders left out (could not be read). The rest was checked.',
    ]);
  });

  it('is one card for every gap, within the card rules, its detail in separate blocks (issue 10.7)', () => {
    const all = card(
      { key: 'medicationStatements', reason: 'invalid-data', entries: 3 },
      { key: 'allergyIntolerances', reason: 'not-supplied-and-not-fetchable' },
      { key: 'medicationRequests', reason: 'scope-dropped', entries: 1 },
      { key: 'draftOrders', reason: 'invalid-data', entries: 1 },
      { key: 'patient', reason: 'fetch-failed' },
    );
    expect(all.summary).toBe('Medication safety checks incomplete: draft orders, drug–allergy, active medication orders, reported medications');
    expect(items(all.detail)).toHaveLength(4);
    expect(all.detail).toContain('does not mean the order was found safe');
    expect(cardShapeProblems(all)).toEqual([]);
    expect(markdownProblems(all.detail!)).toEqual([]);
  });
});

import type { Card, UnavailablePrefetch, UnavailableReason } from '../../../src/cds/cds-types.js';
import { DRAFT_ORDERS } from '../medications.js';
import { RULE_TOPIC_SYSTEM } from './cards.js';
import { blocks, bulletList } from './markdown.js';

/** How the card names the data of one key and the checks that need it, in a clinician's words. */
interface DataWords {
  checks: string;
  /** The data as a whole, in the singular (the reasons say "was", "is"), e.g. "the patient’s allergy list". */
  list: string;
  /** One record of it (singular), e.g. "allergy record". */
  record: string;
  /** For the summary. */
  short: string;
}

// Only data a check reads: the Patient prefetch feeds no check, so its absence changes no answer.
const DATA: Record<string, DataWords> = {
  [DRAFT_ORDERS]: { checks: 'Checks of the draft orders', list: 'the list of draft orders', record: 'draft order', short: 'draft orders' },
  allergyIntolerances: { checks: 'Drug–allergy check', list: 'the patient’s allergy list', record: 'allergy record', short: 'drug–allergy' },
  medicationRequests: {
    checks: 'Interaction and duplicate-therapy checks against the patient’s active medication orders',
    list: 'the patient’s list of active medication orders',
    record: 'medication order',
    short: 'active medication orders',
  },
  medicationStatements: {
    checks: 'Interaction and duplicate-therapy checks against the patient’s reported medications',
    list: 'the patient’s list of reported medications (medication statements)',
    record: 'medication statement',
    short: 'reported medications',
  },
};

/** Why none of the data arrived, said of the data ("the patient’s allergy list …"). */
const WHOLE: Record<UnavailableReason, string> = {
  'not-supplied-and-not-fetchable': 'was not sent by the EHR, and this service had no access to fetch it',
  'fetch-failed': 'could not be retrieved',
  'scope-dropped': 'is not covered by the access granted for this call',
  'invalid-data': 'could not be read',
  'too-large': 'was too large to check',
};

/** Why some records were left out. */
const PARTIAL: Record<UnavailableReason, string> = {
  'not-supplied-and-not-fetchable': 'not sent by the EHR',
  'fetch-failed': 'the search reported an error',
  'scope-dropped': 'not covered by the access granted for this call',
  'invalid-data': 'could not be read',
  'too-large': 'over the size limit',
};

const joinAnd = (parts: readonly string[]): string => (parts.length < 2 ? parts.join('') : `${parts.slice(0, -1).join(', ')} and ${parts.at(-1)}`);

const records = (n: number, record: string): string => `${n} ${record}${n === 1 ? '' : 's'}`;

function partial(gap: UnavailablePrefetch, words: DataWords): string {
  // An error outcome in a searchset says records may be missing, not how many.
  if (gap.reason === 'fetch-failed') return `the search for ${words.list} reported an error, so some records may be missing`;
  return `${records(gap.entries ?? 0, words.record)} left out (${PARTIAL[gap.reason]})`;
}

/** One list item per key: not performed (nothing arrived) or incomplete (some records left out). */
function line(words: DataWords, gaps: readonly UnavailablePrefetch[]): string {
  const whole = gaps.filter((g) => g.entries === undefined);
  if (whole.length > 0) return `**${words.checks} not performed:** ${words.list} ${joinAnd([...new Set(whole.map((g) => WHOLE[g.reason]))])}.`;
  return `**${words.checks} incomplete:** ${gaps.map((g) => partial(g, words)).join('; ')}. The rest was checked.`;
}

/**
 * The one card (warning) naming each check that could not be performed, or only partly, and why
 * (issue 10.5): without it, missing data would read as "checked, nothing found". Undefined when every
 * check had its data. Keys no check reads are not named.
 */
export function notPerformedCard(gaps: readonly UnavailablePrefetch[]): Card | undefined {
  const affected = Object.entries(DATA).flatMap(([key, words]) => {
    const own = gaps.filter((g) => g.key === key);
    return own.length === 0 ? [] : [{ words, own }];
  });
  if (affected.length === 0) return undefined;
  return {
    summary: `Medication safety checks incomplete: ${affected.map((a) => a.words.short).join(', ')}`,
    detail: blocks(
      'Not every check could run, so the absence of an alert does not mean the order was found safe in these respects:',
      bulletList(affected.map((a) => line(a.words, a.own))),
      'The other checks ran on the data that arrived; their findings are on the other cards. Review what is missing in the patient’s record yourself.',
    ),
    indicator: 'warning',
    rule: 'checks-not-performed',
    source: { label: 'Hookwarden medication safety', topic: { system: RULE_TOPIC_SYSTEM, code: 'checks-not-performed', display: 'Safety checks not performed' } },
  };
}

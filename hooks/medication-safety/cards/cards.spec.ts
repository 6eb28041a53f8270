import { ingredientByCode } from '../knowledge/ingredients.js';
import { INTERACTION_RULES } from '../knowledge/interaction-rules.js';
import { OVERRIDE_REASON_SYSTEM } from '../knowledge/override-reasons.js';
import type { FhirResource } from '../../../src/cds/cds-types.js';
import { allergyView, item, medicationRequest, toItem } from '../testing/builders.js';
import { cardShapeProblems, markdownProblems } from '../testing/card-shape.js';
import { allergyCard, duplicateCard, interactionCard, uncodedCard, unknownMedicationCard } from './cards.js';
import { blocks, bulletList, escapeMarkdown } from './markdown.js';

const nameLength = (rxcui: string): number => ingredientByCode(rxcui)!.name.length;
const byLongestName = (codes: readonly string[]): string[] => [...codes].sort((a, b) => nameLength(b) - nameLength(a));

describe('interactionCard', () => {
  // Every rule, with its longest-named object and precipitant members: S3 summary < 140 holds for all.
  it.each(INTERACTION_RULES)('$id cards pass the card rules for its longest member names', (rule) => {
    const draft = item('d', byLongestName(rule.object.members)[0], 'draft');
    const other = item('a', byLongestName(rule.precipitant.members).find((m) => m !== draft.ingredients[0])!);
    const card = interactionCard({ rule, draft, other, draftIngredient: draft.ingredients[0]!, otherIngredient: other.ingredients[0]!, draftRole: 'object' }, 'pt-1');
    expect(cardShapeProblems(card)).toEqual([]);
    expect(markdownProblems(card.detail!)).toEqual([]);
    expect(card.indicator).toBe(rule.indicator);
    expect(card.overrideReasons?.every((r) => r.system === OVERRIDE_REASON_SYSTEM)).toBe(true);
  });
});

describe('other cards', () => {
  const draft = item('d', '197807', 'draft');
  const allergyResource = { resourceType: 'AllergyIntolerance', id: 'al', code: { text: 'Ibuprofen' } };
  const allergy = allergyView(allergyResource);

  it.each([
    ['allergy', allergyCard({ draft, allergy, ingredient: '5640' }), 'critical'],
    ['duplicate', duplicateCard({ draft, active: item('a', '197805'), ingredient: '5640' }), 'warning'],
    ['uncoded', uncodedCard(item('u', undefined, 'draft')), 'critical'],
    ['unknown product', unknownMedicationCard(item('x', '999999', 'draft')), 'info'],
  ] as const)('%s card passes the card rules with indicator %s, its detail in separate blocks (issue 10.7)', (_name, card, indicator) => {
    expect(cardShapeProblems(card)).toEqual([]);
    expect(markdownProblems(card.detail ?? '')).toEqual([]);
    expect(card.indicator).toBe(indicator);
  });

  it('offers no action on a draft without a valid FHIR id (the host would reject it, cds-resp-2)', () => {
    const { id: _omit, ...noId } = medicationRequest('x', undefined, 'draft');
    const card = uncodedCard(toItem(noId as FhirResource, 'draft'));
    expect(card.suggestions).toBeUndefined();
    expect(card.selectionBehavior).toBeUndefined();
    expect(cardShapeProblems(card)).toEqual([]);
  });

  it('escapes request text in the markdown detail (no injected links or HTML)', () => {
    const hostile = allergyView({ ...allergyResource, code: { text: '[click](https://evil.example) <img src=x>' } });
    const detail = allergyCard({ draft, allergy: hostile, ingredient: '5640' }).detail!;
    expect(detail).toContain('\\[click\\]\\(https://evil.example\\) \\<img src=x\\>');
    expect(detail).not.toContain('[click](');
  });
});

describe('escapeMarkdown', () => {
  it('escapes markdown punctuation and flattens newlines', () => {
    expect(escapeMarkdown('*a*_b_\n# c')).toBe('\\*a\\*\\_b\\_ \\# c');
  });
});

describe('blocks and bulletList (issue 10.7)', () => {
  it('separates blocks by a blank line, skipping empty ones, and keeps list items one per line', () => {
    expect(blocks('a', '', bulletList(['x', 'y']), 'b')).toBe('a\n\n- x\n- y\n\nb');
    expect(bulletList([])).toBe('');
  });
});

describe('markdownProblems (the issue 10.7 check)', () => {
  it('finds a single newline inside a paragraph, and passes paragraphs and lists', () => {
    expect(markdownProblems('**Draft order:** x\n**Interacts with:** y')).toEqual(['soft line break after "**Draft order:** x"']);
    expect(markdownProblems('a\n\n- x\n- y\n\nb')).toEqual([]);
  });
});

import fc from 'fast-check';
import { InvalidCardError } from './cds-errors.js';
import type { Action, Card, CdsResponse } from './cds-types.js';
import { actionViolations, cardViolations, linkViolations, prepareResponse, stripEmpty, uuidViolations, wireResponse } from './card-rules.js';

const finalizeResponse = (r: CdsResponse, newId: () => string) => wireResponse(prepareResponse(r, newId));

const card = (extra: Partial<Card> = {}): Card => ({ summary: 'Fine', indicator: 'info', source: { label: 'Src' }, ...extra });
const rulesOf = (c: Card) => cardViolations(c, 'cards[0]').map((v) => v.rule);
const del = (a: Partial<Action>) => actionViolations({ type: 'delete', description: 'd', ...a } as Action, 'a').map((v) => v.rule);
let n = 0;
const ids = () => `id-${++n}`;

describe('card rules (§Card Attributes)', () => {
  it('accepts a minimal valid card', () => {
    expect(rulesOf(card())).toEqual([]);
  });

  it('summary: required and shorter than 140 characters', () => {
    expect(rulesOf(card({ summary: 'x'.repeat(139) }))).toEqual([]);
    expect(rulesOf(card({ summary: 'x'.repeat(140) }))).toEqual(['summary']);
    expect(rulesOf(card({ summary: undefined as unknown as string }))).toEqual(['summary']);
  });

  it('indicator: info | warning | critical', () => {
    expect(rulesOf(card({ indicator: 'hard-stop' as Card['indicator'] }))).toEqual(['indicator']);
  });

  it('source.label: non-empty', () => {
    expect(rulesOf(card({ source: { label: '' } }))).toEqual(['source-label']);
    expect(rulesOf(card({ source: undefined as unknown as Card['source'] }))).toEqual(['source-label']);
  });

  it('source url and icon: absolute http(s)', () => {
    expect(rulesOf(card({ source: { label: 'S', url: '/relative', icon: 'javascript:alert(1)' } }))).toEqual(['source-url', 'source-url']);
  });

  it('detail: a string (GitHub Flavored Markdown)', () => {
    expect(rulesOf(card({ detail: 42 as unknown as string }))).toEqual(['detail']);
  });

  it('source.topic: a Coding with code and system', () => {
    expect(rulesOf(card({ source: { label: 'S', topic: { system: 's', code: '' } } }))).toEqual(['coding']);
  });

  it('suggestion isRecommended: a boolean', () => {
    expect(rulesOf(card({ suggestions: [{ label: 'A', isRecommended: 'yes' as unknown as boolean }], selectionBehavior: 'any' }))).toEqual(['suggestion-recommended']);
  });

  it('cds-resp-6: selectionBehavior present iff suggestions', () => {
    expect(rulesOf(card({ suggestions: [{ label: 'A' }] }))).toEqual(['cds-resp-6']);
    expect(rulesOf(card({ selectionBehavior: 'any' }))).toEqual(['cds-resp-6']);
    expect(rulesOf(card({ suggestions: [{ label: 'A' }], selectionBehavior: 'all' as 'any' }))).toEqual(['cds-resp-6']);
  });

  it('cds-resp-1: at-most-one allows at most one recommended suggestion', () => {
    const suggestions = [
      { label: 'A', isRecommended: true },
      { label: 'B', isRecommended: true },
    ];
    expect(rulesOf(card({ suggestions, selectionBehavior: 'at-most-one' }))).toEqual(['cds-resp-1']);
    expect(rulesOf(card({ suggestions, selectionBehavior: 'any' }))).toEqual([]);
  });

  it('suggestion label is required', () => {
    expect(rulesOf(card({ suggestions: [{ label: '' }], selectionBehavior: 'any' }))).toEqual(['suggestion-label']);
  });

  it('cds-resp-4: override reasons are Codings with display', () => {
    expect(rulesOf(card({ overrideReasons: [{ system: 's', code: 'c' }] }))).toEqual(['cds-resp-4']);
    expect(rulesOf(card({ overrideReasons: [{ system: 's', code: '', display: 'd' }] }))).toEqual(['cds-resp-4']);
  });

  it('cds-resp-3: appContext only on smart links', () => {
    expect(linkViolations({ label: 'L', url: 'https://a.test', type: 'absolute', appContext: 'x' }, 'l').map((v) => v.rule)).toEqual(['cds-resp-3']);
    expect(linkViolations({ label: 'L', url: 'https://a.test', type: 'smart', appContext: 'x' }, 'l')).toEqual([]);
    // A host-only app link's appContext goes into the launch, not onto the wire.
    expect(linkViolations({ label: 'L', url: 'https://a.test', type: 'absolute', appContext: 'x', app: 'review' }, 'l')).toEqual([]);
  });

  it('link label is required; autolaunchable is a boolean', () => {
    expect(linkViolations({ label: '', url: 'https://a.test', type: 'absolute', autolaunchable: 1 as unknown as boolean }, 'l').map((v) => v.rule)).toEqual([
      'link-label',
      'link-autolaunchable',
    ]);
  });

  it('link url: absolute http(s); link type: absolute | smart', () => {
    expect(linkViolations({ label: 'L', url: 'app/launch', type: 'absolute' }, 'l').map((v) => v.rule)).toEqual(['link-url']);
    expect(linkViolations({ label: 'L', url: 'https://a.test', type: 'web' as 'smart' }, 'l').map((v) => v.rule)).toEqual(['link-type']);
  });

  it('cds-resp-2: delete has a relative resourceId and no resource', () => {
    expect(del({ resourceId: 'MedicationRequest/1' })).toEqual([]);
    expect(del({ resourceId: 'MedicationRequest/1', resource: { resourceType: 'MedicationRequest' } })).toEqual(['cds-resp-2']);
    expect(del({})).toEqual(['cds-resp-2']);
  });

  it('create/update carry a resource; type and description are required', () => {
    expect(actionViolations({ type: 'create', description: 'c' } as Action, 'a').map((v) => v.rule)).toEqual(['action-resource']);
    expect(actionViolations({ type: 'patch', description: '' } as unknown as Action, 'a').map((v) => v.rule)).toEqual(['action-type', 'action-description']);
  });

  it('card and suggestion uuids are unique within a response', () => {
    expect(uuidViolations([card({ uuid: 'u' }), card({ uuid: 'u' })])).toEqual([{ rule: 'unique-uuid', path: 'cards[1].uuid' }]);
  });
});

describe('stripEmpty (§Use of JSON)', () => {
  it('removes null, "", [] and {} at every depth', () => {
    expect(stripEmpty({ a: null, b: '', c: [], d: {}, e: { f: [null, ''] }, g: [0, false, 'x'] })).toEqual({ g: [0, false, 'x'] });
  });

  it('never leaves an empty value anywhere, and is idempotent (property)', () => {
    const hasEmpty = (v: unknown): boolean =>
      v === null || v === '' || (Array.isArray(v) ? v.length === 0 || v.some(hasEmpty) : typeof v === 'object' && (Object.keys(v as object).length === 0 || Object.values(v as object).some(hasEmpty)));
    fc.assert(
      fc.property(fc.jsonValue(), (v) => {
        const stripped = stripEmpty(v);
        expect(stripped === undefined || !hasEmpty(stripped)).toBe(true);
        expect(stripEmpty(stripped)).toEqual(stripped);
      }),
    );
  });
});

describe('prepareResponse + wireResponse', () => {
  it('assigns uuids, keeps given ones, drops Link.app and empty values, keeps cards: []', () => {
    const res = finalizeResponse(
      {
        cards: [
          card({
            uuid: 'keep',
            detail: '',
            suggestions: [{ label: 'A' }, { label: 'B', uuid: 'mine' }],
            selectionBehavior: 'any',
            links: [{ label: 'App', url: 'https://a.test', type: 'absolute', app: 'medication-review' }],
          }),
        ],
        systemActions: [],
      },
      ids,
    );
    expect(res).toEqual({
      cards: [
        {
          uuid: 'keep',
          summary: 'Fine',
          indicator: 'info',
          source: { label: 'Src' },
          suggestions: [
            { label: 'A', uuid: expect.stringMatching(/^id-/) },
            { label: 'B', uuid: 'mine' },
          ],
          selectionBehavior: 'any',
          links: [{ label: 'App', url: 'https://a.test', type: 'absolute' }],
        },
      ],
    });
    expect(finalizeResponse({ cards: [] }, ids)).toEqual({ cards: [] });
  });

  it('throws InvalidCardError naming the rule and path, not the content', () => {
    let err: unknown;
    try {
      finalizeResponse({ cards: [card(), card({ summary: 'x'.repeat(200) })] }, ids);
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(InvalidCardError);
    expect([(err as InvalidCardError).rule, (err as InvalidCardError).path, (err as InvalidCardError).message]).toEqual(['summary', 'cards[1].summary', 'service produced an invalid card']);
  });

  it('prepareResponse keeps the host-only Card.rule for recording; wireResponse drops it', () => {
    const prepared = prepareResponse({ cards: [card({ rule: 'drug-allergy' })] }, ids);
    expect(prepared.cards[0].rule).toBe('drug-allergy');
    expect(wireResponse(prepared).cards[0]).not.toHaveProperty('rule');
  });

  it('refuses a Card.rule that is not a short token (analytics groups by it)', () => {
    expect(cardViolations(card({ rule: 'onc-hp-ddi-1' }), 'c')).toEqual([]);
    expect(cardViolations(card({ rule: 'has spaces' }), 'c')).toEqual([{ rule: 'rule-id', path: 'c.rule' }]);
    expect(cardViolations(card({ rule: '' }), 'c')).toEqual([{ rule: 'rule-id', path: 'c.rule' }]);
  });

  it('prepareResponse keeps Link.app for the pipeline; wireResponse drops it', () => {
    const prepared = prepareResponse({ cards: [card({ links: [{ label: 'App', url: 'https://a.test', type: 'absolute', app: 'x' }] })] }, ids);
    expect(prepared.cards[0].links?.[0].app).toBe('x');
    expect(wireResponse(prepared).cards[0].links?.[0]).not.toHaveProperty('app');
  });

  it('wireResponse re-checks what pipeline steps produced', () => {
    expect(() => wireResponse({ cards: [card({ links: [{ label: 'App', url: '/relative', type: 'absolute' }] })] })).toThrow(InvalidCardError);
  });

  it('wireResponse removes links a step left empty and keeps the rest of the card as prepared', () => {
    const prepared = prepareResponse({ cards: [card({ links: [{ label: 'App', url: 'https://a.test', type: 'absolute', app: 'x' }] })] }, ids);
    const wired = wireResponse({ cards: [{ ...prepared.cards[0], links: [] }] });
    expect(wired.cards[0]).not.toHaveProperty('links');
    expect(wired.cards[0]).toEqual({ ...prepared.cards[0], links: undefined });
  });

  it('checks systemActions and the response shape', () => {
    expect(() => finalizeResponse({ cards: [], systemActions: [{ type: 'delete', description: 'd' }] }, ids)).toThrow(InvalidCardError);
    expect(() => finalizeResponse({} as CdsResponse, ids)).toThrow(InvalidCardError);
  });
});

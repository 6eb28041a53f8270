import { INTERACTION_RULES, ONC_HIGH_PRIORITY_RULES, WARFARIN_NSAID_RULE } from '../knowledge/interaction-rules.js';
import { item } from '../testing/builders.js';
import { findInteractions, matchRule } from './interactions.js';

const rule = (n: number) => ONC_HIGH_PRIORITY_RULES[n - 1]!;
const all = (...refs: string[]) => new Set(refs);

describe('matchRule', () => {
  it('matches with the draft as object (simvastatin draft, clarithromycin active)', () => {
    expect(matchRule(rule(11), item('d', '198211', 'draft'), item('a', '197517'))).toEqual({ draftIngredient: '36567', otherIngredient: '21212', draftRole: 'object' });
  });

  it('matches with the draft as precipitant (clarithromycin draft, simvastatin active)', () => {
    expect(matchRule(rule(11), item('d', '197517', 'draft'), item('a', '198211'))).toEqual({ draftIngredient: '21212', otherIngredient: '36567', draftRole: 'precipitant' });
  });

  it('matches an SBD through its SCD (Zocor 152923) and an ingredient-level code (fluvoxamine 42355)', () => {
    expect(matchRule(rule(11), item('d', '197517', 'draft'), item('a', '152923'))).toBeDefined();
    expect(matchRule(rule(9), item('d', '577348', 'draft'), item('a', '42355'))).toBeDefined();
  });

  it('does not match outside the class (atorvastatin is not an ONC #11 member)', () => {
    expect(matchRule(rule(11), item('d', '197517', 'draft'), item('a', '617310'))).toBeUndefined();
  });

  it('never pairs an ingredient with itself, even in the QT class listed on both sides', () => {
    expect(matchRule(rule(8), item('d', '18631', 'draft'), item('a', '18631'))).toBeUndefined();
    expect(matchRule(rule(8), item('d', '18631', 'draft'), item('a', '21212'))).toBeDefined();
  });

  it('warfarin–NSAID matches any of the demo NSAIDs (aspirin at ingredient level)', () => {
    expect(matchRule(WARFARIN_NSAID_RULE, item('d', '1191', 'draft'), item('a', '855332'))).toMatchObject({ draftRole: 'precipitant' });
  });

  it('does not match uncoded or unknown products', () => {
    expect(matchRule(rule(11), item('d', undefined, 'draft'), item('a', '198211'))).toBeUndefined();
    expect(matchRule(rule(11), item('d', '999999', 'draft'), item('a', '198211'))).toBeUndefined();
  });
});

describe('findInteractions', () => {
  it('finds draft × active pairs', () => {
    const found = findInteractions(INTERACTION_RULES, [item('d', '197517', 'draft')], [item('a', '198211')], all('MedicationRequest/d'));
    expect(found.map((f) => [f.rule.id, f.draft.reference, f.other.reference])).toEqual([['onc-hp-ddi-11', 'MedicationRequest/d', 'MedicationRequest/a']]);
  });

  it('finds draft × draft pairs once when both are in focus', () => {
    const drafts = [item('d1', '309309', 'draft'), item('d2', '313413', 'draft')];
    const found = findInteractions(INTERACTION_RULES, drafts, [], all('MedicationRequest/d1', 'MedicationRequest/d2'));
    expect(found.map((f) => [f.rule.id, f.draft.reference, f.other.reference])).toEqual([['onc-hp-ddi-13', 'MedicationRequest/d1', 'MedicationRequest/d2']]);
  });

  it('checks only focused drafts (order-select selections), against every other draft', () => {
    const drafts = [item('d1', '309309', 'draft'), item('d2', '313413', 'draft')];
    expect(findInteractions(INTERACTION_RULES, drafts, [], all('MedicationRequest/d2')).map((f) => f.draft.reference)).toEqual(['MedicationRequest/d2']);
    expect(findInteractions(INTERACTION_RULES, drafts, [], all())).toEqual([]);
  });

  it('reports every rule a pair matches (clarithromycin + erythromycin: QT example members)', () => {
    const found = findInteractions(INTERACTION_RULES, [item('d', '197517', 'draft')], [item('a', '4053')], all('MedicationRequest/d'));
    expect(found.map((f) => f.rule.id)).toEqual(['onc-hp-ddi-8']);
  });
});

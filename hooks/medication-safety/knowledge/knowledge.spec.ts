import { readFileSync } from 'node:fs';
import { ALTERNATIVES } from './alternatives.js';
import { INGREDIENTS } from './ingredients.js';
import { INTERACTION_RULES, ONC_HIGH_PRIORITY_RULES, WARFARIN_NSAID_RULE } from './interaction-rules.js';
import { PRODUCTS, type Product } from './products.js';

// The code → name table is checked against the sourced list. The sourced file itself (S =
// sandbox-cds-services lib/rxnorm-prices.json) could not be obtained here, so the check parses
// the tables of medication-kb.md, which transcribe it with per-code sources. The file beside this
// spec is a verbatim copy of the team's sourced reference, vendored so the check runs wherever the
// repository does.
const kb = readFileSync(new URL('./medication-kb.md', import.meta.url), 'utf8');
const section = (from: string, to: string): string => kb.slice(kb.indexOf(from), kb.indexOf(to, kb.indexOf(from)));

interface IngredientRow {
  name: string;
  rxcui: string;
  onc: number[];
  demo: boolean;
  sources: string[];
  confidence: string;
}

const ingredientRows: IngredientRow[] = [...section('## 2. RxNorm ingredient', 'Not found in S').matchAll(/^\| ([^|]+) \| (\d+) \| ([^|]+) \| ([^|]+) \| ([^|]+) \|$/gm)].map(
  ([, name, rxcui, ddi, sources, confidence]) => ({
    name: name!.trim().toLowerCase(),
    rxcui: rxcui!,
    onc: ddi!.includes('demo') ? [] : ddi!.split(',').map((n) => Number(n.trim())),
    demo: ddi!.includes('demo'),
    sources: sources!.split(',').map((s) => s.trim().replace(/'$/, '')),
    confidence: confidence!.trim().split(' ')[0]!,
  }),
);

// §1.1 QT bullet: "(sotalol 9947, dofetilide 49247, …, erythromycin 4053)".
const qtText = section('- QT (ID 8)', '- The panel');
const qtRows = [...qtText.slice(qtText.indexOf('(sotalol')).matchAll(/([a-z]+) (\d+)[,)]/g)].map(([, name, rxcui]) => ({ name: name!, rxcui: rxcui! }));

interface ProductRow {
  names: string;
  codes: string[];
  ingredient: string;
  ingredientCode: string;
}

// Rows after the first of an ingredient name it without its code ("| warfarin |"): inherit it.
const ingredientCodeByName = new Map<string, string>();
const productRows: ProductRow[] = [
  ...section('## 3. RxNorm SCD codes', '### 3.1').matchAll(/^\| ([^|]+) \| \**([\d /]+?)\** \| ([a-z][a-z ]*?)(?: (\d+))? \| [^|]+ \|$/gm),
].map(([, names, codes, ingredient, code]) => {
  if (code !== undefined) ingredientCodeByName.set(ingredient!, code);
  return {
    names: names!.trim(),
    codes: codes!.split('/').map((c) => c.trim()),
    ingredient: ingredient!,
    ingredientCode: code ?? ingredientCodeByName.get(ingredient!) ?? '(none)',
  };
});

/** Every code → name pair the reference gives for an ingredient. */
const sourcedIngredientNames = new Map<string, string>([
  ...ingredientRows.map((r) => [r.rxcui, r.name] as const),
  ...qtRows.map((r) => [r.rxcui, r.name] as const),
  ...productRows.map((r) => [r.ingredientCode, r.ingredient] as const),
]);

const rowOf = (p: Product): ProductRow | undefined => productRows.find((r) => r.codes.includes(p.genericOf ?? p.rxcui));
const singleRowProducts = PRODUCTS.filter((p) => rowOf(p)?.codes.length === 1);
const multiRowProducts = PRODUCTS.filter((p) => !singleRowProducts.includes(p));

// §1 row 11 names indinavir in its header ("row header also names indinavir") while the §2 column omits #11.
const MEMBERSHIP_EXCEPTIONS: Record<string, number[]> = { indinavir: [11] };

describe('medication-safety knowledge against medication-kb.md', () => {
  it('parses the reference tables (the check itself can fail)', () => {
    expect(ingredientRows).toHaveLength(107);
    expect(qtRows).toHaveLength(23);
    expect(productRows).toHaveLength(21);
    expect(productRows.every((r) => r.ingredientCode !== '(none)')).toBe(true);
  });

  it.each(INGREDIENTS)('ingredient $rxcui is sourced as "$name"', (ingredient) => {
    expect(sourcedIngredientNames.get(ingredient.rxcui)).toBe(ingredient.name);
  });

  it.each(ingredientRows)('§2 $name ($rxcui) is transcribed with its sources and confidence', (row) => {
    const ingredient = INGREDIENTS.find((i) => i.rxcui === row.rxcui);
    expect(ingredient).toMatchObject({ name: row.name, sources: row.sources, confidence: row.confidence });
  });

  it.each(ingredientRows)('§2 $name belongs to exactly the ONC rules its row lists', (row) => {
    const rules = ONC_HIGH_PRIORITY_RULES.filter((r) => r.id !== 'onc-hp-ddi-8')
      .filter((r) => r.object.members.includes(row.rxcui) || r.precipitant.members.includes(row.rxcui))
      .map((r) => Number(r.id.replace('onc-hp-ddi-', '')));
    expect(rules).toEqual([...row.onc, ...(MEMBERSHIP_EXCEPTIONS[row.name] ?? [])].sort((a, b) => a - b));
  });

  it('the warfarin–NSAID rule has warfarin against exactly the §2 demo NSAIDs', () => {
    const demo = ingredientRows.filter((r) => r.demo);
    expect(WARFARIN_NSAID_RULE.object.members).toEqual(demo.filter((r) => r.name === 'warfarin').map((r) => r.rxcui));
    expect([...WARFARIN_NSAID_RULE.precipitant.members].sort()).toEqual(demo.filter((r) => r.name !== 'warfarin').map((r) => r.rxcui).sort());
  });

  it('ONC #8 uses exactly the §1.1 QT example members, labelled as not the ONC list', () => {
    const qt = ONC_HIGH_PRIORITY_RULES.find((r) => r.id === 'onc-hp-ddi-8')!;
    expect(qt.object.members).toEqual(qtRows.map((r) => r.rxcui));
    expect(qt.precipitant.members).toEqual(qt.object.members);
    expect(qt.object.label).toContain('example members, not the ONC list');
  });

  it('has the 15 ONC rules, all critical and cited, and the warfarin–NSAID rule as a warning', () => {
    expect(ONC_HIGH_PRIORITY_RULES.map((r) => r.id)).toEqual(Array.from({ length: 15 }, (_, i) => `onc-hp-ddi-${i + 1}`));
    expect(new Set(ONC_HIGH_PRIORITY_RULES.map((r) => r.indicator))).toEqual(new Set(['critical']));
    expect(ONC_HIGH_PRIORITY_RULES.every((r) => r.citation.url === 'https://pubmed.ncbi.nlm.nih.gov/22539083/')).toBe(true);
    expect(WARFARIN_NSAID_RULE).toMatchObject({ onc: false, indicator: 'warning' });
    expect(INTERACTION_RULES.filter((r) => r.evidence === '')).toEqual([]);
    expect(INTERACTION_RULES).toHaveLength(16);
  });

  it.each(PRODUCTS)('product $rxcui "$name" is in a §3 row with its ingredient', (product) => {
    expect(product.ingredients).toEqual([rowOf(product)?.ingredientCode]);
  });

  it.each(singleRowProducts)('product $rxcui is named "$name" as in its §3 row', (product) => {
    expect(product.name.replace(/ \[.*\]$/, '').toLowerCase()).toBe(rowOf(product)!.names.toLowerCase());
  });

  // Rows like "Ciprofloxacin 500 MG Oral Tablet / 250 / 750 MG | 309309 / 197511 / 197512": the
  // strengths are in code order, and every other word of the name is in the row.
  it.each(multiRowProducts)('product $rxcui "$name" has the strength and words of its §3 row', (product) => {
    const row = rowOf(product)!;
    const strengths = [...row.names.matchAll(/(\d+(?:\.\d+)?)(?= |$)/g)].map((m) => m[1]).filter((s) => s !== '24');
    expect(strengths[row.codes.indexOf(product.rxcui)]).toBe(/(\d+(?:\.\d+)?) MG/.exec(product.name)?.[1]);
    const words = product.name.split(' ').filter((w) => !/^\d/.test(w));
    expect(words.filter((w) => !row.names.toLowerCase().includes(w.toLowerCase()))).toEqual([]);
  });

  it('maps the Zocor SBD 152923 to the SCD 198211 as §3 states', () => {
    expect(kb).toContain('`152923` "Simvastatin 40 MG Oral Tablet [Zocor]"');
    expect(kb).toContain('152923 → 198211');
    expect(PRODUCTS.find((p) => p.rxcui === '152923')).toMatchObject({ name: 'Simvastatin 40 MG Oral Tablet [Zocor]', tty: 'SBD', genericOf: '198211' });
  });

  it('offers only sourced alternatives', () => {
    for (const alt of ALTERNATIVES) expect(sourcedIngredientNames.get(alt.rxcui)).toBe(alt.name);
  });
});

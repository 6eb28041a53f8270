import type { SourceKey } from './sources.js';

/** An RxNorm product concept (SCD, or SBD mapped through its SCD) and its ingredient(s). */
export interface Product {
  rxcui: string;
  /** RxNorm name, as medication-kb.md §3 spells it. */
  name: string;
  tty: 'SCD' | 'SBD';
  /** Ingredient RxCUIs (SCD → IN). */
  ingredients: string[];
  /** For an SBD: the SCD it maps to (S `brandToGeneric`). */
  genericOf?: string;
  sources: SourceKey[];
}

/**
 * The demo products of medication-kb.md §3 (S `genericToIngredients` / `brandToGeneric`, 2018
 * vintage). Orders for any other product are matched only when coded at ingredient level.
 */
export const PRODUCTS: readonly Product[] = [
  { rxcui: '855332', name: 'Warfarin Sodium 5 MG Oral Tablet', tty: 'SCD', ingredients: ['11289'], sources: ['S', 'P', 'T'] },
  { rxcui: '855288', name: 'Warfarin Sodium 1 MG Oral Tablet', tty: 'SCD', ingredients: ['11289'], sources: ['S'] },
  { rxcui: '855302', name: 'Warfarin Sodium 2 MG Oral Tablet', tty: 'SCD', ingredients: ['11289'], sources: ['S'] },
  { rxcui: '855312', name: 'Warfarin Sodium 2.5 MG Oral Tablet', tty: 'SCD', ingredients: ['11289'], sources: ['S'] },
  { rxcui: '855318', name: 'Warfarin Sodium 3 MG Oral Tablet', tty: 'SCD', ingredients: ['11289'], sources: ['S'] },
  { rxcui: '855324', name: 'Warfarin Sodium 4 MG Oral Tablet', tty: 'SCD', ingredients: ['11289'], sources: ['S'] },
  { rxcui: '855338', name: 'Warfarin Sodium 6 MG Oral Tablet', tty: 'SCD', ingredients: ['11289'], sources: ['S'] },
  { rxcui: '855344', name: 'Warfarin Sodium 7.5 MG Oral Tablet', tty: 'SCD', ingredients: ['11289'], sources: ['S'] },
  { rxcui: '855296', name: 'Warfarin Sodium 10 MG Oral Tablet', tty: 'SCD', ingredients: ['11289'], sources: ['S'] },
  { rxcui: '197807', name: 'Ibuprofen 800 MG Oral Tablet', tty: 'SCD', ingredients: ['5640'], sources: ['S', 'T'] },
  { rxcui: '197805', name: 'Ibuprofen 400 MG Oral Tablet', tty: 'SCD', ingredients: ['5640'], sources: ['S', 'P'] },
  { rxcui: '197806', name: 'Ibuprofen 600 MG Oral Tablet', tty: 'SCD', ingredients: ['5640'], sources: ['S'] },
  { rxcui: '310965', name: 'Ibuprofen 200 MG Oral Tablet', tty: 'SCD', ingredients: ['5640'], sources: ['S'] },
  { rxcui: '198211', name: 'Simvastatin 40 MG Oral Tablet', tty: 'SCD', ingredients: ['36567'], sources: ['S', 'T'] },
  { rxcui: '312962', name: 'Simvastatin 5 MG Oral Tablet', tty: 'SCD', ingredients: ['36567'], sources: ['S'] },
  { rxcui: '314231', name: 'Simvastatin 10 MG Oral Tablet', tty: 'SCD', ingredients: ['36567'], sources: ['S', 'T'] },
  { rxcui: '312961', name: 'Simvastatin 20 MG Oral Tablet', tty: 'SCD', ingredients: ['36567'], sources: ['S', 'T'] },
  { rxcui: '200345', name: 'Simvastatin 80 MG Oral Tablet', tty: 'SCD', ingredients: ['36567'], sources: ['S'] },
  {
    rxcui: '152923',
    name: 'Simvastatin 40 MG Oral Tablet [Zocor]',
    tty: 'SBD',
    ingredients: ['36567'],
    genericOf: '198211',
    sources: ['S', 'T'],
  },
  { rxcui: '197517', name: 'Clarithromycin 500 MG Oral Tablet', tty: 'SCD', ingredients: ['21212'], sources: ['S', 'T'] },
  { rxcui: '197516', name: 'Clarithromycin 250 MG Oral Tablet', tty: 'SCD', ingredients: ['21212'], sources: ['S'] },
  {
    rxcui: '359385',
    name: '24 HR Clarithromycin 500 MG Extended Release Oral Tablet',
    tty: 'SCD',
    ingredients: ['21212'],
    sources: ['S'],
  },
  { rxcui: '313413', name: 'tizanidine 4 MG Oral Tablet', tty: 'SCD', ingredients: ['57258'], sources: ['S'] },
  { rxcui: '313412', name: 'tizanidine 2 MG Oral Tablet', tty: 'SCD', ingredients: ['57258'], sources: ['S'] },
  { rxcui: '309309', name: 'Ciprofloxacin 500 MG Oral Tablet', tty: 'SCD', ingredients: ['2551'], sources: ['S'] },
  { rxcui: '197511', name: 'Ciprofloxacin 250 MG Oral Tablet', tty: 'SCD', ingredients: ['2551'], sources: ['S', 'T'] },
  { rxcui: '197512', name: 'Ciprofloxacin 750 MG Oral Tablet', tty: 'SCD', ingredients: ['2551'], sources: ['S', 'T'] },
  { rxcui: '664741', name: 'Atazanavir 300 MG Oral Capsule', tty: 'SCD', ingredients: ['343047'], sources: ['S'] },
  { rxcui: '402247', name: 'Atazanavir 200 MG Oral Capsule', tty: 'SCD', ingredients: ['343047'], sources: ['S'] },
  { rxcui: '402246', name: 'Atazanavir 150 MG Oral Capsule', tty: 'SCD', ingredients: ['343047'], sources: ['S'] },
  { rxcui: '198051', name: 'Omeprazole 20 MG Delayed Release Oral Capsule', tty: 'SCD', ingredients: ['7646'], sources: ['S'] },
  { rxcui: '200329', name: 'Omeprazole 40 MG Delayed Release Oral Capsule', tty: 'SCD', ingredients: ['7646'], sources: ['S'] },
  {
    rxcui: '854868',
    name: 'Rabeprazole sodium 20 MG Delayed Release Oral Tablet',
    tty: 'SCD',
    ingredients: ['114979'],
    sources: ['P'],
  },
  { rxcui: '577348', name: 'ramelteon 8 MG Oral Tablet', tty: 'SCD', ingredients: ['596205'], sources: ['S'] },
  { rxcui: '834235', name: 'febuxostat 40 MG Oral Tablet', tty: 'SCD', ingredients: ['73689'], sources: ['S'] },
  { rxcui: '834241', name: 'febuxostat 80 MG Oral Tablet', tty: 'SCD', ingredients: ['73689'], sources: ['S'] },
  { rxcui: '197388', name: 'Azathioprine 50 MG Oral Tablet', tty: 'SCD', ingredients: ['1256'], sources: ['S'] },
  { rxcui: '198202', name: 'Rifampin 300 MG Oral Capsule', tty: 'SCD', ingredients: ['9384'], sources: ['S'] },
  { rxcui: '197853', name: 'Ketoconazole 200 MG Oral Tablet', tty: 'SCD', ingredients: ['6135'], sources: ['S'] },
  { rxcui: '314167', name: 'Procarbazine 50 MG Oral Capsule', tty: 'SCD', ingredients: ['8702'], sources: ['S'] },
  { rxcui: '617312', name: 'atorvastatin 10 MG Oral Tablet', tty: 'SCD', ingredients: ['83367'], sources: ['S'] },
  { rxcui: '617310', name: 'atorvastatin 20 MG Oral Tablet', tty: 'SCD', ingredients: ['83367'], sources: ['S'] },
  { rxcui: '617311', name: 'atorvastatin 40 MG Oral Tablet', tty: 'SCD', ingredients: ['83367'], sources: ['S'] },
  { rxcui: '259255', name: 'atorvastatin 80 MG Oral Tablet', tty: 'SCD', ingredients: ['83367'], sources: ['S'] },
];

const byCode = new Map(PRODUCTS.map((p) => [p.rxcui, p]));

/** The product with this RxCUI, if the knowledge base knows it. */
export function productByCode(rxcui: string): Product | undefined {
  return byCode.get(rxcui);
}

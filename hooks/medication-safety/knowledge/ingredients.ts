import type { Confidence, SourceKey } from './sources.js';

/** An RxNorm ingredient concept (TTY IN) with the sources that give its code. */
export interface Ingredient {
  rxcui: string;
  /** Lower-case RxNorm-style name; the key used by the rule tables. */
  name: string;
  sources: SourceKey[];
  confidence: Confidence;
  note?: string;
}

/**
 * Every ingredient the rules mention, transcribed from medication-kb.md §2 (ONC members and the
 * warfarin–NSAID demo rows), §1.1 (QT example members, "RxCUIs from S") and §3 (atorvastatin, the
 * ingredient of the near-miss scenario). `knowledge.spec.ts` checks each code and name against
 * those tables.
 */
export const INGREDIENTS: readonly Ingredient[] = [
  { rxcui: '703', name: 'amiodarone', sources: ['S', 'Z'], confidence: 'medium' },
  { rxcui: '704', name: 'amitriptyline', sources: ['S', 'Z'], confidence: 'medium' },
  { rxcui: '725', name: 'amphetamine', sources: ['S', 'Z'], confidence: 'medium' },
  { rxcui: '228656', name: 'amprenavir', sources: ['S', 'Z'], confidence: 'medium' },
  { rxcui: '358255', name: 'aprepitant', sources: ['S', 'Z'], confidence: 'medium' },
  { rxcui: '1191', name: 'aspirin', sources: ['S', 'P'], confidence: 'high' },
  { rxcui: '343047', name: 'atazanavir', sources: ['S', 'Z'], confidence: 'medium' },
  { rxcui: '38400', name: 'atomoxetine', sources: ['S', 'Z'], confidence: 'medium' },
  { rxcui: '1256', name: 'azathioprine', sources: ['S', 'Z'], confidence: 'medium' },
  { rxcui: '1422', name: 'benzphetamine', sources: ['S', 'Z'], confidence: 'medium' },
  { rxcui: '75207', name: 'bosentan', sources: ['S', 'Z'], confidence: 'medium' },
  { rxcui: '2002', name: 'carbamazepine', sources: ['S', 'Z'], confidence: 'medium' },
  { rxcui: '140587', name: 'celecoxib', sources: ['S', 'P'], confidence: 'high' },
  { rxcui: '2541', name: 'cimetidine', sources: ['S', 'Z'], confidence: 'medium' },
  { rxcui: '2551', name: 'ciprofloxacin', sources: ['S', 'Z'], confidence: 'medium' },
  { rxcui: '2556', name: 'citalopram', sources: ['S', 'Z'], confidence: 'medium' },
  { rxcui: '21212', name: 'clarithromycin', sources: ['S', 'Z'], confidence: 'medium' },
  { rxcui: '2597', name: 'clomipramine', sources: ['S', 'Z'], confidence: 'medium' },
  { rxcui: '460132', name: 'darunavir', sources: ['S', 'Z'], confidence: 'medium' },
  { rxcui: '3247', name: 'desipramine', sources: ['S', 'Z'], confidence: 'medium' },
  { rxcui: '734064', name: 'desvenlafaxine', sources: ['S', 'Z'], confidence: 'medium' },
  { rxcui: '816346', name: 'dexlansoprazole', sources: ['S', 'P'], confidence: 'high' },
  { rxcui: '352372', name: 'dexmethylphenidate', sources: ['S', 'Z'], confidence: 'medium' },
  { rxcui: '3288', name: 'dextroamphetamine', sources: ['S', 'Z'], confidence: 'medium' },
  { rxcui: '3289', name: 'dextromethorphan', sources: ['S', 'Z'], confidence: 'medium' },
  { rxcui: '3355', name: 'diclofenac', sources: ['S', 'P'], confidence: 'high' },
  { rxcui: '3389', name: 'diethylpropion', sources: ['S', 'Z'], confidence: 'medium' },
  { rxcui: '3418', name: 'dihydroergotamine', sources: ['S', 'Z'], confidence: 'medium' },
  { rxcui: '3443', name: 'diltiazem', sources: ['S', 'Z'], confidence: 'medium' },
  { rxcui: '3638', name: 'doxepin', sources: ['S', 'Z'], confidence: 'medium' },
  { rxcui: '72625', name: 'duloxetine', sources: ['S', 'Z'], confidence: 'medium' },
  { rxcui: '4021', name: 'ergonovine', sources: ['S', 'Z'], confidence: 'medium' },
  { rxcui: '4025', name: 'ergotamine', sources: ['S', 'Z'], confidence: 'medium' },
  { rxcui: '4053', name: 'erythromycin', sources: ['S', 'Z'], confidence: 'medium' },
  { rxcui: '321988', name: 'escitalopram', sources: ['S', 'Z'], confidence: 'medium' },
  { rxcui: '283742', name: 'esomeprazole', sources: ['S', 'P', 'Z'], confidence: 'high' },
  { rxcui: '73689', name: 'febuxostat', sources: ['S', 'Z'], confidence: 'medium' },
  { rxcui: '4337', name: 'fentanyl', sources: ['S', 'O', 'Z'], confidence: 'high' },
  { rxcui: '4450', name: 'fluconazole', sources: ['S', 'Z'], confidence: 'medium' },
  { rxcui: '4493', name: 'fluoxetine', sources: ['S', 'Z'], confidence: 'medium' },
  { rxcui: '42355', name: 'fluvoxamine', sources: ['S', 'Z'], confidence: 'medium' },
  { rxcui: '358262', name: 'fosamprenavir', sources: ['S', 'Z'], confidence: 'medium' },
  { rxcui: '5640', name: 'ibuprofen', sources: ['S', 'P'], confidence: 'high' },
  { rxcui: '5691', name: 'imipramine', sources: ['S', 'Z'], confidence: 'medium' },
  { rxcui: '114289', name: 'indinavir', sources: ['S', 'Z'], confidence: 'medium' },
  { rxcui: '5781', name: 'indomethacin', sources: ['S', 'P'], confidence: 'high' },
  { rxcui: '51499', name: 'irinotecan', sources: ['Z', 'T'], confidence: 'medium-low' },
  { rxcui: '6011', name: 'isocarboxazid', sources: ['S', 'Z'], confidence: 'medium' },
  { rxcui: '28031', name: 'itraconazole', sources: ['S', 'Z'], confidence: 'medium' },
  { rxcui: '6135', name: 'ketoconazole', sources: ['S', 'Z'], confidence: 'medium' },
  { rxcui: '35827', name: 'ketorolac', sources: ['S', 'P'], confidence: 'high' },
  { rxcui: '17128', name: 'lansoprazole', sources: ['S', 'P', 'Z'], confidence: 'high' },
  { rxcui: '700810', name: 'lisdexamfetamine', sources: ['S', 'Z'], confidence: 'medium' },
  { rxcui: '195088', name: 'lopinavir', sources: ['Z', 'T'], confidence: 'medium-low' },
  { rxcui: '6472', name: 'lovastatin', sources: ['S', 'Z'], confidence: 'medium' },
  { rxcui: '41493', name: 'meloxicam', sources: ['S', 'P'], confidence: 'high' },
  { rxcui: '6754', name: 'meperidine', sources: ['S', 'O', 'Z'], confidence: 'high' },
  { rxcui: '103', name: 'mercaptopurine', sources: ['S', 'Z'], confidence: 'medium' },
  { rxcui: '6813', name: 'methadone', sources: ['S', 'O', 'Z'], confidence: 'high' },
  { rxcui: '6816', name: 'methamphetamine', sources: ['S', 'Z'], confidence: 'medium' },
  { rxcui: '6878', name: 'methylene blue', sources: ['S'], confidence: 'medium' },
  { rxcui: '6883', name: 'methylergonovine', sources: ['S', 'Z'], confidence: 'medium' },
  { rxcui: '6901', name: 'methylphenidate', sources: ['S'], confidence: 'medium' },
  { rxcui: '6926', name: 'mexiletine', sources: ['S', 'Z'], confidence: 'medium' },
  { rxcui: '588250', name: 'milnacipran', sources: ['S', 'Z'], confidence: 'medium' },
  { rxcui: '30121', name: 'moclobemide', sources: ['S'], confidence: 'unsure' },
  { rxcui: '7258', name: 'naproxen', sources: ['S', 'P'], confidence: 'high' },
  { rxcui: '31565', name: 'nefazodone', sources: ['S', 'Z'], confidence: 'medium' },
  { rxcui: '134527', name: 'nelfinavir', sources: ['S', 'Z'], confidence: 'medium' },
  { rxcui: '7531', name: 'nortriptyline', sources: ['S', 'Z'], confidence: 'medium' },
  { rxcui: '7646', name: 'omeprazole', sources: ['S', 'P', 'Z'], confidence: 'high' },
  { rxcui: '40790', name: 'pantoprazole', sources: ['S', 'P', 'Z'], confidence: 'high' },
  { rxcui: '32937', name: 'paroxetine', sources: ['S', 'Z'], confidence: 'medium' },
  { rxcui: '33272', name: 'phendimetrazine', sources: ['S', 'Z'], confidence: 'medium' },
  { rxcui: '8123', name: 'phenelzine', sources: ['S', 'Z'], confidence: 'medium' },
  { rxcui: '8152', name: 'phentermine', sources: ['S', 'Z'], confidence: 'medium' },
  { rxcui: '8702', name: 'procarbazine', sources: ['S', 'Z'], confidence: 'medium' },
  { rxcui: '8754', name: 'propafenone', sources: ['S', 'Z'], confidence: 'medium' },
  { rxcui: '8886', name: 'protriptyline', sources: ['S', 'Z'], confidence: 'medium' },
  { rxcui: '8896', name: 'pseudoephedrine', sources: ['S', 'Z'], confidence: 'medium' },
  { rxcui: '114979', name: 'rabeprazole', sources: ['S', 'P', 'Z'], confidence: 'high' },
  { rxcui: '596205', name: 'ramelteon', sources: ['S', 'Z'], confidence: 'medium' },
  { rxcui: '55672', name: 'rifabutin', sources: ['S', 'Z'], confidence: 'medium' },
  { rxcui: '9384', name: 'rifampin', sources: ['S', 'Z'], confidence: 'medium' },
  { rxcui: '35617', name: 'rifapentine', sources: ['S', 'Z'], confidence: 'medium' },
  { rxcui: '85762', name: 'ritonavir', sources: ['S', 'Z'], confidence: 'medium' },
  { rxcui: '88014', name: 'rizatriptan', sources: ['S', 'Z'], confidence: 'medium' },
  { rxcui: '83395', name: 'saquinavir', sources: ['S', 'Z'], confidence: 'medium' },
  { rxcui: '9639', name: 'selegiline', sources: ['S', 'Z'], confidence: 'medium' },
  { rxcui: '36437', name: 'sertraline', sources: ['S', 'Z'], confidence: 'medium' },
  { rxcui: '36567', name: 'simvastatin', sources: ['S', 'Z'], confidence: 'medium' },
  { rxcui: '258326', name: "st. john's wort", sources: ['S', 'Z'], confidence: 'unsure', note: 'S holds 258326 "ST. JOHN\'S WORT EXTRACT" but not as an ingredient target' },
  { rxcui: '37418', name: 'sumatriptan', sources: ['S', 'Z'], confidence: 'medium' },
  { rxcui: '787390', name: 'tapentadol', sources: ['S', 'O', 'Z'], confidence: 'high' },
  { rxcui: '274786', name: 'telithromycin', sources: ['S'], confidence: 'medium' },
  { rxcui: '10594', name: 'ticlopidine', sources: ['S', 'Z'], confidence: 'medium' },
  { rxcui: '190548', name: 'tipranavir', sources: ['S', 'Z'], confidence: 'medium' },
  { rxcui: '57258', name: 'tizanidine', sources: ['S', 'Z'], confidence: 'medium' },
  { rxcui: '10689', name: 'tramadol', sources: ['S', 'O', 'Z'], confidence: 'high' },
  { rxcui: '10734', name: 'tranylcypromine', sources: ['S', 'Z'], confidence: 'medium' },
  { rxcui: '10834', name: 'trimipramine', sources: ['S', 'Z'], confidence: 'medium' },
  { rxcui: '39786', name: 'venlafaxine', sources: ['S', 'Z'], confidence: 'medium' },
  { rxcui: '11170', name: 'verapamil', sources: ['S', 'Z'], confidence: 'medium' },
  { rxcui: '121243', name: 'voriconazole', sources: ['S', 'Z'], confidence: 'medium' },
  { rxcui: '11289', name: 'warfarin', sources: ['S', 'T'], confidence: 'medium' },
  { rxcui: '40575', name: 'zileuton', sources: ['S', 'Z'], confidence: 'medium' },
  { rxcui: '135775', name: 'zolmitriptan', sources: ['S', 'Z'], confidence: 'medium' },  // §3: ingredient of the atorvastatin SCDs (near-miss scenario); also not CYP3A4-"ONC" listed.
  { rxcui: '83367', name: 'atorvastatin', sources: ['S'], confidence: 'medium' },
  // §1.1: QT example members that §2 does not list (codes "from S").
  { rxcui: '9947', name: 'sotalol', sources: ['S'], confidence: 'medium' },
  { rxcui: '49247', name: 'dofetilide', sources: ['S'], confidence: 'medium' },
  { rxcui: '9068', name: 'quinidine', sources: ['S'], confidence: 'medium' },
  { rxcui: '8331', name: 'pimozide', sources: ['S'], confidence: 'medium' },
  { rxcui: '5093', name: 'haloperidol', sources: ['S'], confidence: 'medium' },
  { rxcui: '26225', name: 'ondansetron', sources: ['S'], confidence: 'medium' },
  { rxcui: '139462', name: 'moxifloxacin', sources: ['S'], confidence: 'medium' },
  { rxcui: '18631', name: 'azithromycin', sources: ['S'], confidence: 'medium' },
  { rxcui: '233698', name: 'dronedarone', sources: ['S'], confidence: 'medium' },
  { rxcui: '3541', name: 'disopyramide', sources: ['S'], confidence: 'medium' },
  { rxcui: '8700', name: 'procainamide', sources: ['S'], confidence: 'medium' },
  { rxcui: '4441', name: 'flecainide', sources: ['S'], confidence: 'medium' },
  { rxcui: '2403', name: 'chlorpromazine', sources: ['S'], confidence: 'medium' },
  { rxcui: '10502', name: 'thioridazine', sources: ['S'], confidence: 'medium' },
  { rxcui: '2393', name: 'chloroquine', sources: ['S'], confidence: 'medium' },
  { rxcui: '596724', name: 'anagrelide', sources: ['S'], confidence: 'medium' },
  { rxcui: '1098413', name: 'vandetanib', sources: ['S'], confidence: 'medium' },
];

const byName = new Map(INGREDIENTS.map((i) => [i.name, i]));
const byCode = new Map(INGREDIENTS.map((i) => [i.rxcui, i]));

/** The RxCUI of an ingredient named in the rule tables; throws on a name the table lacks (a data bug). */
export function ingredientCode(name: string): string {
  const ingredient = byName.get(name);
  if (ingredient === undefined) throw new Error(`medication-safety knowledge: unknown ingredient "${name}"`);
  return ingredient.rxcui;
}

/** The ingredient with this RxCUI, if the knowledge base knows it. */
export function ingredientByCode(rxcui: string): Ingredient | undefined {
  return byCode.get(rxcui);
}

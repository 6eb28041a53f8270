import type { Indicator } from '../../../src/cds/cds-types.js';
import { ingredientCode } from './ingredients.js';
import { HL7_PDDI_CDS, PHANSALKAR_2012, type Citation } from './sources.js';

/** One side of an interaction: a drug or class and its member ingredient RxCUIs. */
export interface MemberClass {
  label: string;
  /** Ingredient RxCUIs. */
  members: readonly string[];
}

/** A drug–drug interaction rule; matching is symmetric (draft may be object or precipitant). */
export interface InteractionRule {
  /** Stable id, also the `Card.source.topic` code. */
  id: string;
  /** Short human id, e.g. "ONC high-priority DDI #11". */
  label: string;
  /** True for the 15 ONC high-priority interactions; false for other sourced rules. */
  onc: boolean;
  object: MemberClass;
  precipitant: MemberClass;
  /** The consequence in a few words, for the card summary. */
  risk: string;
  /** Clinical consequence and mechanism, as sourced in medication-kb.md §1. */
  consequence: string;
  /** Where the consequence text comes from (medication-kb.md §1 attributions). */
  evidence: string;
  /** Severity wording for the card summary. */
  severity: 'contraindicated' | 'serious';
  indicator: Indicator;
  citation: Citation;
  /** Membership and evidence caveats the prescriber should see (medication-kb.md §1.1). */
  caveats: readonly string[];
}

const cls = (label: string, names: readonly string[]): MemberClass => ({ label, members: names.map(ingredientCode) });

// Membership: medication-kb.md §1 table ("Table 2" sheet transcription), adjusted per §1.1.
const MAOIS = ['tranylcypromine', 'phenelzine', 'isocarboxazid', 'procarbazine', 'selegiline'];
const MAOIS_TRIPTANS = ['tranylcypromine', 'phenelzine', 'isocarboxazid', 'moclobemide', 'methylene blue'];
const PROTEASE_INHIBITORS = ['ritonavir', 'nelfinavir', 'atazanavir', 'indinavir', 'saquinavir', 'amprenavir', 'darunavir', 'lopinavir', 'tipranavir'];
const MACROLIDES = ['clarithromycin', 'erythromycin', 'telithromycin'];
const AZOLES = ['ketoconazole', 'itraconazole', 'voriconazole'];
// ID 5 "others"; ID 11 reuses them without aprepitant/cimetidine.
const OTHER_CYP3A4_INHIBITORS = ['amiodarone', 'verapamil', 'diltiazem', 'nefazodone'];
const CYP1A2_INHIBITORS_TIZANIDINE = ['ciprofloxacin', 'fluvoxamine', 'mexiletine', 'propafenone', 'zileuton', 'amiodarone', 'ticlopidine'];
// §1.1: the transcription has no QT member list; these are example members, not the ONC list.
const QT_EXAMPLES = [
  'sotalol', 'dofetilide', 'quinidine', 'pimozide', 'haloperidol', 'ondansetron', 'moxifloxacin', 'azithromycin', 'dronedarone',
  'disopyramide', 'procainamide', 'flecainide', 'chlorpromazine', 'thioridazine', 'chloroquine', 'anagrelide', 'vandetanib',
  'methadone', 'amiodarone', 'citalopram', 'escitalopram', 'clarithromycin', 'erythromycin',
];
/** HL7 PDDI-CDS "NSAIDs" demo members (medication-kb.md §2 rows marked `demo`). */
const NSAIDS = ['ibuprofen', 'naproxen', 'diclofenac', 'celecoxib', 'indomethacin', 'ketorolac', 'meloxicam', 'aspirin'];

const SUGGESTED_MEMBERSHIP =
  'Class membership is the panel’s suggested membership; drug-interaction databases disagree on members and modifiers (Am J Health-Syst Pharm 2022, PMC9218784).';

// Attribution of each consequence, as medication-kb.md §1 gives it.
const EVIDENCE: Record<number, string> = {
  1: 'CMDT (AccessMedicine, “Monoamine Oxidase Inhibitors Overdose”).',
  2: 'J Clin Pharmacol 2011;51:368 (abstract); atazanavir monograph; Medscape case 872627.',
  3: 'ULORIC (febuxostat) label change, January 2011; FDA FAERS case series, Pharmacotherapy 2020;40:125.',
  4: 'CMDT (serotonin syndrome with MAO inhibitors).',
  5: 'Irinotecan product information, as quoted in a drug-interaction monograph.',
  6: 'CMDT; K. Gillman’s commentary on fentanyl.',
  7: 'Class labelling; not quoted from a primary source.',
  8: 'Additive QT effect of the class; the members are examples chosen for this service.',
  9: 'Rozerem (ramelteon) label §12.5.',
  10: 'HIV–TB co-infection guideline text (attribution unverified); UCSF HIV InSite: “Do not coadminister”.',
  11: 'Zocor (simvastatin) label, contraindications.',
  12: 'Ergotamine/dihydroergotamine boxed warning; Cafergot prescribing information.',
  13: 'Zanaflex (tizanidine) label; Granfors et al., Clin Pharmacol Ther 2004.',
  14: 'Matulane and Parnate US labels (WebMD interaction monograph).',
  15: 'Triptan–MAOI interaction monograph (manufacturers’ contraindications).',
};

const onc = (
  n: number,
  risk: string,
  object: MemberClass,
  precipitant: MemberClass,
  consequence: string,
  caveats: readonly string[] = [],
): InteractionRule => ({
  id: `onc-hp-ddi-${n}`,
  label: `ONC high-priority DDI #${n}`,
  onc: true,
  risk,
  object,
  precipitant,
  consequence,
  evidence: EVIDENCE[n] ?? '',
  severity: 'contraindicated',
  // §1: the panel judged all 15 "contraindicated for concurrent use" and did not grade them.
  indicator: 'critical',
  citation: PHANSALKAR_2012,
  caveats: [...caveats, SUGGESTED_MEMBERSHIP],
});

/**
 * The 15 ONC high-priority drug–drug interactions (Phansalkar et al. 2012, Table 2; numbering of
 * the 2022 follow-up), as transcribed in medication-kb.md §1 with the §1.1 adjustments:
 * dexlansoprazole added to #2, TCAs of #7 from the "Revised Table 2" sheet, #8 with example members.
 */
export const ONC_HIGH_PRIORITY_RULES: readonly InteractionRule[] = [
  onc(
    1,
    'hypertensive crisis',
    cls('Amphetamine derivatives', [
      'dexmethylphenidate', 'dextroamphetamine', 'methylphenidate', 'lisdexamfetamine', 'methamphetamine', 'phendimetrazine',
      'pseudoephedrine', 'amphetamine', 'benzphetamine', 'diethylpropion', 'phentermine', 'atomoxetine',
    ]),
    cls('MAO inhibitors', MAOIS),
    'Hypertensive reaction or crisis: any sympathomimetic drug may cause a severe hypertensive reaction in patients taking MAO inhibitors.',
    ['The panel suggested downgrading selegiline (selective MAO-B inhibition).'],
  ),
  onc(
    2,
    'loss of antiretroviral effect',
    cls('Atazanavir', ['atazanavir']),
    cls('Proton pump inhibitors', ['omeprazole', 'lansoprazole', 'pantoprazole', 'rabeprazole', 'esomeprazole', 'dexlansoprazole']),
    'Loss of antiretroviral effect: atazanavir needs an acidic gastric pH for absorption; omeprazole 40 mg cut atazanavir exposure by about 75%, risking virologic failure and resistance.',
    ['Dexlansoprazole is included as the panel recommended, although the printed member list omits it.'],
  ),
  onc(
    3,
    'myelosuppression',
    cls('Febuxostat', ['febuxostat']),
    cls('Azathioprine, mercaptopurine', ['azathioprine', 'mercaptopurine']),
    'Myelosuppression: xanthine-oxidase inhibition raises azathioprine/6-mercaptopurine levels (severe toxicity); the febuxostat label contraindicates the combination.',
  ),
  onc(
    4,
    'serotonin syndrome',
    cls('SSRIs and serotonergic agents', [
      'fluoxetine', 'paroxetine', 'citalopram', 'escitalopram', 'sertraline', 'fluvoxamine', 'duloxetine', 'nefazodone', 'desvenlafaxine',
      'milnacipran', 'venlafaxine',
    ]),
    cls('MAO inhibitors', MAOIS),
    'Serotonin syndrome: severe or fatal hyperthermia may occur when MAO inhibitors are given with serotonin-enhancing drugs.',
    ['The panel widened the object class from fluoxetine to SSRIs and serotonergic agents (SNRIs and nefazodone included).'],
  ),
  onc(
    5,
    'irinotecan toxicity',
    cls('Irinotecan', ['irinotecan']),
    cls('Strong CYP3A4 inhibitors', [...PROTEASE_INHIBITORS, 'fosamprenavir', ...MACROLIDES, ...AZOLES, 'fluconazole', ...OTHER_CYP3A4_INHIBITORS, 'aprepitant', 'cimetidine']),
    'Irinotecan toxicity: CYP3A4 inhibitors raise irinotecan and SN-38 exposure (ketoconazole: SN-38 AUC +109%); the irinotecan label says strong CYP3A4 inhibitors should not be used concurrently.',
    ['The irinotecan RxCUI (51499) is not in the sandbox file; it comes from other public code (medium-low confidence).'],
  ),
  onc(
    6,
    'serotonin toxicity',
    cls('Narcotic analgesics', ['meperidine', 'methadone', 'tapentadol', 'fentanyl', 'tramadol', 'dextromethorphan']),
    cls('MAO inhibitors', MAOIS),
    'Serotonin toxicity and severe CNS reactions with MAO inhibitors (meperidine, tramadol and dextromethorphan are named in the labelling).',
    ['Fentanyl’s membership is disputed: it has no significant serotonin reuptake inhibitor potency.'],
  ),
  onc(
    7,
    'serotonin toxicity, hypertensive reaction',
    cls('Tricyclic antidepressants', [
      'amitriptyline', 'clomipramine', 'desipramine', 'doxepin', 'imipramine', 'nortriptyline', 'protriptyline', 'trimipramine',
    ]),
    cls('MAO inhibitors', MAOIS),
    'Serotonin toxicity and hypertensive reactions when tricyclic antidepressants are combined with MAO inhibitors (class labelling).',
    [
      'Members are from the “Revised Table 2” transcription; the rationale is class labelling, not quoted from a primary source: verify before relying on it.',
    ],
  ),
  onc(
    8,
    'additive QT prolongation',
    cls('QT-prolonging agents (example members, not the ONC list)', QT_EXAMPLES),
    cls('QT-prolonging agents (example members, not the ONC list)', QT_EXAMPLES),
    'Additive QT prolongation and risk of torsades de pointes.',
    ['The ONC panel published no member list for this class: these are example members, not the ONC list.'],
  ),
  onc(
    9,
    'excessive ramelteon exposure',
    cls('Ramelteon', ['ramelteon']),
    cls('CYP1A2 inhibitors', ['fluvoxamine', 'amiodarone', 'ticlopidine', 'ciprofloxacin']),
    'Excessive ramelteon exposure: fluvoxamine raised ramelteon AUC about 190-fold; the ramelteon label says it should not be used in combination with fluvoxamine.',
  ),
  onc(
    10,
    'loss of antiretroviral activity',
    cls('Strong CYP3A4 inducers', ['bosentan', 'rifapentine', 'carbamazepine', 'rifabutin', 'rifampin', "st. john's wort"]),
    cls('Protease inhibitors', [...PROTEASE_INHIBITORS, 'fosamprenavir']),
    'Loss of antiretroviral activity: rifampicin reduces plasma concentrations of protease inhibitors other than ritonavir by 75–95%, with emergence of resistance; do not coadminister.',
    ['The St John’s wort code (258326) is unsure: the sandbox file names it as an extract, not an ingredient.'],
  ),
  onc(
    11,
    'rhabdomyolysis risk',
    cls('HMG-CoA reductase inhibitors (simvastatin, lovastatin)', ['simvastatin', 'lovastatin']),
    cls('CYP3A4 inhibitors', [...PROTEASE_INHIBITORS, ...MACROLIDES, ...AZOLES, 'fluconazole', ...OTHER_CYP3A4_INHIBITORS]),
    'Myopathy and rhabdomyolysis: potent CYP3A4 inhibitors raise simvastatin/lovastatin exposure; the simvastatin label contraindicates concomitant use.',
    ['Only simvastatin and lovastatin are members; other statins interact less or differently and are not in the ONC list.'],
  ),
  onc(
    12,
    'ergotism (peripheral ischemia)',
    cls('CYP3A4 inhibitors', [...PROTEASE_INHIBITORS, ...MACROLIDES, ...AZOLES]),
    cls('Ergot alkaloids and derivatives', ['ergotamine', 'methylergonovine', 'dihydroergotamine', 'ergonovine']),
    'Ergotism: serious and/or life-threatening peripheral ischemia with potent CYP3A4 inhibitors (boxed warning; concurrent use contraindicated).',
  ),
  onc(
    13,
    'hypotension and sedation',
    cls('Tizanidine', ['tizanidine']),
    cls('CYP1A2 inhibitors', CYP1A2_INHIBITORS_TIZANIDINE),
    'Hypotension and excessive sedation: fluvoxamine raised tizanidine AUC 33-fold and ciprofloxacin about 10-fold; the tizanidine label contraindicates both and says to avoid other CYP1A2 inhibitors.',
  ),
  onc(
    14,
    'hypertensive crisis',
    cls('Tranylcypromine', ['tranylcypromine']),
    cls('Procarbazine', ['procarbazine']),
    'Hypertensive crisis: both drugs inhibit monoamine oxidase; extremely high blood pressure may be fatal.',
  ),
  onc(
    15,
    'triptan toxicity',
    cls('Triptans', ['sumatriptan', 'zolmitriptan', 'rizatriptan']),
    cls('MAO-A inhibitors', MAOIS_TRIPTANS),
    'Triptan toxicity: MAO-A metabolises these triptans; the manufacturers contraindicate them with moclobemide and non-selective MAO inhibitors.',
    ['Moclobemide’s code (30121) is unsure: the drug is not US-marketed.'],
  ),
];

/**
 * Warfarin + NSAIDs: the HL7 PDDI-CDS exemplar (medication-kb.md §3.1), not one of the ONC 15, so
 * shown as a warning. PDDI-CDS modulates the advice by age, PPI/misoprostol, GI-bleed history,
 * systemic corticosteroids and aldosterone antagonists, and excludes topical diclofenac.
 */
export const WARFARIN_NSAID_RULE: InteractionRule = {
  id: 'pddi-cds-warfarin-nsaid',
  label: 'HL7 PDDI-CDS warfarin–NSAID rule',
  onc: false,
  risk: 'increased bleeding risk',
  object: cls('Warfarin', ['warfarin']),
  precipitant: cls('NSAIDs', NSAIDS),
  consequence:
    'Increased bleeding risk, notably gastrointestinal bleeding, when an NSAID is added to warfarin. Consider a non-NSAID analgesic, or gastroprotection and closer INR monitoring if the NSAID is needed.',
  evidence: 'HL7 PDDI-CDS warfarin + NSAIDs decision logic (WarfarinNSAIDsCDSLogic.cql).',
  severity: 'serious',
  indicator: 'warning',
  citation: HL7_PDDI_CDS,
  caveats: [
    'Risk modifiers not evaluated here: age, PPI or misoprostol co-therapy, history of GI bleeding, systemic corticosteroids, aldosterone antagonists.',
    'Topical diclofenac is excluded by PDDI-CDS; only the oral products of our knowledge base are matched.',
  ],
};

/** Every interaction rule the service applies. */
export const INTERACTION_RULES: readonly InteractionRule[] = [...ONC_HIGH_PRIORITY_RULES, WARFARIN_NSAID_RULE];

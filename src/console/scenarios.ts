import { readFileSync } from 'node:fs';
import { DEMO_CLINICIAN } from '../config/demo.js';
import { listScenarios } from './demo-ehr.js';

/**
 * The demo console's scenario patients: each medication-safety scenario (a CDS request body) read as
 * an EHR chart shows it, plus the drugs a clinician can pick from. Read once; the files are static.
 */

const RXNORM = 'http://www.nlm.nih.gov/research/umls/rxnorm';

/** A medication or substance as the chart lists it. */
export interface ChartItem {
  display: string;
  /** RxNorm code, when coded. */
  code?: string;
  /** `order` (MedicationRequest), `reported` (MedicationStatement), or the allergy's clinical status. */
  kind: string;
}

/** A drug the clinician can order: coded RxNorm, or free text when `code` is absent. */
export interface DrugChoice {
  display: string;
  code?: string;
}

export interface Scenario {
  name: string;
  hook: 'order-select' | 'order-sign';
  patient: { id: string; name: string; gender?: string; birthDate?: string };
  medications: ChartItem[];
  allergies: ChartItem[];
  /** The scenario's own draft orders, the default choice. */
  drafts: DrugChoice[];
  /** The request body the scenario was written as; the console sends it with a fresh hookInstance and the chosen drug. */
  request: Record<string, unknown>;
}

type Resource = Record<string, unknown> & { resourceType?: string; id?: string };
type Concept = { coding?: { system?: string; code?: string; display?: string }[]; text?: string } | undefined;

function entries(bundle: unknown): Resource[] {
  const list = (bundle as { entry?: { resource?: Resource }[] } | undefined)?.entry ?? [];
  return list.flatMap((e) => (e.resource ? [e.resource] : []));
}

function conceptItem(concept: Concept): DrugChoice {
  const coding = concept?.coding?.find((c) => c.system === RXNORM && c.code);
  const display = concept?.text ?? coding?.display ?? concept?.coding?.find((c) => c.display)?.display ?? '(unnamed)';
  return coding?.code ? { display, code: coding.code } : { display };
}

function statusOf(resource: Resource): string {
  const clinical = (resource.clinicalStatus as Concept)?.coding?.[0]?.code;
  return clinical ?? 'recorded';
}

function patientName(patient: Resource | undefined): string {
  const name = (patient?.name as { given?: string[]; family?: string; text?: string }[] | undefined)?.[0];
  return name?.text ?? ([...(name?.given ?? []), name?.family].filter(Boolean).join(' ') || String(patient?.id ?? 'Unknown patient'));
}

/** One scenario file as the chart shows it; undefined for hooks the console does not call (legacy medication-prescribe). */
export function readScenario(name: string, body: Record<string, unknown>): Scenario | undefined {
  const hook = body.hook;
  if (hook !== 'order-select' && hook !== 'order-sign') return undefined;
  const context = body.context as { patientId: string; draftOrders?: unknown };
  const prefetch = (body.prefetch ?? {}) as Record<string, unknown>;
  const patient = prefetch.patient as Resource | undefined;
  return {
    name,
    hook,
    patient: {
      id: context.patientId,
      name: patientName(patient),
      ...(typeof patient?.gender === 'string' ? { gender: patient.gender } : {}),
      ...(typeof patient?.birthDate === 'string' ? { birthDate: patient.birthDate } : {}),
    },
    medications: [
      ...entries(prefetch.medicationRequests).map((r) => ({ ...conceptItem(r.medicationCodeableConcept as Concept), kind: 'order' })),
      ...entries(prefetch.medicationStatements).map((r) => ({ ...conceptItem(r.medicationCodeableConcept as Concept), kind: 'reported' })),
    ],
    allergies: entries(prefetch.allergyIntolerances).map((r) => ({ ...conceptItem(r.code as Concept), kind: statusOf(r) })),
    drafts: entries(context.draftOrders).map((r) => conceptItem(r.medicationCodeableConcept as Concept)),
    // The console is the demo EHR where dr.demo is signed in: card links are bound to the hook's user.
    request: { ...body, context: { ...(body.context as object), userId: DEMO_CLINICIAN } },
  };
}

/** Every drug of every scenario (drafts and chart medications), coded ones once per code, by name. */
export function drugChoices(scenarios: readonly Scenario[]): DrugChoice[] {
  const byCode = new Map<string, DrugChoice>();
  for (const s of scenarios) for (const d of [...s.drafts, ...s.medications]) if (d.code && !byCode.has(d.code)) byCode.set(d.code, { display: d.display, code: d.code });
  return [...byCode.values()].sort((a, b) => a.display.localeCompare(b.display));
}

/** The scenarios in `dir` (default: the medication-safety fixtures). */
export function loadScenarios(dir?: string): Scenario[] {
  return [...listScenarios(dir)].flatMap(([name, file]) => {
    const scenario = readScenario(name, JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>);
    return scenario ? [scenario] : [];
  });
}

import { readdirSync } from 'node:fs';
import type { Card, CdsRequest, CdsResponse, FhirResource, UnavailablePrefetch } from '../../src/cds/cds-types.js';
import { medicationSafetyServices, MEDICATION_SAFETY_SCOPES } from './service.js';
import { cardShapeProblems, markdownProblems } from './testing/card-shape.js';
import { FIXTURES } from './testing/fixtures.js';

// One describe per demo scenario of knowledge/medication-kb.md §3.1 (plus allergy, duplicate
// therapy, uncoded medication, the legacy hook and order-select), driven by the fixtures the EHR
// simulator sends. fixtures/ok = no card expected; fixtures/not-ok = a card is expected.

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[1-8][0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

/** Evaluates a request as the host would hand it over; `unavailable` is what the host reports it could not get. */
function run(request: CdsRequest, unavailable: UnavailablePrefetch[] = []): CdsResponse {
  const service = medicationSafetyServices.find((s) => s.hook === request.hook);
  if (service === undefined) throw new Error(`no medication-safety service for hook ${request.hook}`);
  return service.evaluate(request, { prefetch: (request.prefetch ?? {}) as Record<string, FhirResource | null>, unavailable, effectiveScopes: MEDICATION_SAFETY_SCOPES });
}

/** Deep copy without one prefetch key. */
function without(request: CdsRequest, key: string): CdsRequest {
  const copy = structuredClone(request);
  delete copy.prefetch?.[key];
  return copy;
}

const topics = (response: CdsResponse) => response.cards.map((c) => [c.indicator, c.source.topic?.code]);

const only = (response: CdsResponse): Card => {
  expect(response.cards).toHaveLength(1);
  return response.cards[0]!;
};

const actionsOf = (card: Card) => (card.suggestions ?? []).flatMap((s) => s.actions ?? []);

/** Deep copy with the first draft's RxNorm code replaced (to show a scenario's boundary). */
function withDraftCode(request: CdsRequest, code: string): CdsRequest {
  const copy = structuredClone(request);
  const draft = copy.context.draftOrders?.entry?.[0]?.resource as unknown as { medicationCodeableConcept: { coding: { code: string }[] } };
  draft.medicationCodeableConcept.coding[0]!.code = code;
  return copy;
}

function resourcesOf(request: CdsRequest): FhirResource[] {
  const bundles = [request.context.draftOrders, request.context.medications, ...Object.values(request.prefetch ?? {})];
  return bundles.flatMap((b) => {
    const bundle = b as { resourceType?: string; entry?: { resource: FhirResource }[] } | undefined;
    if (bundle?.resourceType === 'Bundle') return (bundle.entry ?? []).map((e) => e.resource);
    return bundle === undefined ? [] : [bundle as FhirResource];
  });
}

describe('medication-safety fixtures', () => {
  const all = Object.entries(FIXTURES).flatMap(([kind, byName]) => Object.entries(byName).map(([name, request]) => ({ kind, name, request })));

  it('lists every fixture file (the simulator sends them by file name)', () => {
    for (const kind of ['ok', 'not-ok'] as const) {
      const files = readdirSync(new URL(`./fixtures/${kind}/`, import.meta.url)).map((f) => f.replace(/\.json$/, ''));
      expect(files.sort()).toEqual(Object.keys(FIXTURES[kind]).sort());
    }
  });

  it.each(all)('$kind/$name is a valid request for its service (hook, uuid hookInstance, one patient)', ({ name, request }) => {
    expect(name.startsWith(`${request.hook}-`)).toBe(true);
    expect(medicationSafetyServices.map((s) => s.hook)).toContain(request.hook);
    expect(request.hookInstance).toMatch(UUID);
    expect(request.context.userId).toMatch(/^Practitioner\/[A-Za-z0-9\-.]+$/);
    for (const r of resourcesOf(request)) {
      const ref = r.resourceType === 'Patient' ? `Patient/${r.id}` : ((r['subject'] ?? r['patient']) as { reference: string }).reference;
      expect(ref).toBe(`Patient/${request.context.patientId}`);
    }
  });

  it.each(all)('$kind/$name: ok answers no card, not-ok at least one, all within the card rules, details in separate blocks', ({ kind, request }) => {
    const { cards } = run(request);
    expect(cards.length > 0).toBe(kind === 'not-ok');
    cards.forEach((c, i) => expect(cardShapeProblems(c, `cards[${i}]`)).toEqual([]));
    cards.forEach((c) => expect(markdownProblems(c.detail ?? '')).toEqual([]));
  });
});

describe('scenario: statin + macrolide (ONC #11)', () => {
  const request = FIXTURES['not-ok']['order-sign-statin-macrolide'];
  const card = only(run(request));

  it('is a critical ONC #11 card naming both drugs, with the source cited', () => {
    expect(card.indicator).toBe('critical');
    expect(card.source.topic?.code).toBe('onc-hp-ddi-11');
    expect(card.summary).toMatch(/^Clarithromycin \+ simvastatin: contraindicated, rhabdomyolysis/);
    expect(card.detail).toContain('MedicationRequest/draft-clarithromycin');
    expect(card.detail).toContain('PMID 22539083');
  });

  it('offers azithromycin, removing the draft, or stopping simvastatin (at most one)', () => {
    expect(card.selectionBehavior).toBe('at-most-one');
    expect(card.suggestions?.map((s) => s.label)).toEqual([
      'Replace Clarithromycin 500 MG Oral Tablet with azithromycin',
      'Remove the draft order for Clarithromycin 500 MG Oral Tablet',
      'Stop the active Simvastatin 40 MG Oral Tablet',
    ]);
    const [replace, , stop] = card.suggestions!;
    expect(replace!.actions?.[0]).toEqual({ type: 'delete', description: expect.any(String), resourceId: 'MedicationRequest/draft-clarithromycin' });
    expect(replace!.actions?.[1]?.resource).toMatchObject({
      resourceType: 'MedicationRequest',
      status: 'draft',
      subject: { reference: 'Patient/pt-statin-macrolide' },
      medicationCodeableConcept: { coding: [{ code: '18631', display: 'azithromycin' }] },
    });
    expect(stop!.actions?.[0]).toMatchObject({ type: 'update', resource: { resourceType: 'MedicationRequest', id: 'active-simvastatin', status: 'stopped' } });
  });

  it('links the Medication Review app (host-signed, launched with the card summary, draft, alternative and reasons as appContext) and the PMC full text', () => {
    expect(card.links).toEqual([
      { label: 'Review medications in Medication Review', url: 'https://pubmed.ncbi.nlm.nih.gov/22539083/', type: 'absolute', app: 'medication-review', appContext: expect.any(String) },
      expect.objectContaining({ url: 'https://pmc.ncbi.nlm.nih.gov/articles/PMC3422823/', type: 'absolute' }),
    ]);
    expect(JSON.parse(card.links![0]!.appContext!)).toEqual({
      summary: card.summary,
      draft: 'MedicationRequest/draft-clarithromycin',
      alternative: { label: expect.stringMatching(/^Replace .* with azithromycin/), resource: expect.objectContaining({ resourceType: 'MedicationRequest', status: 'draft' }) },
      reasons: card.overrideReasons,
    });
  });
});

describe('scenario: tizanidine + ciprofloxacin (ONC #13)', () => {
  it('is critical: hypotension and sedation, contraindicated', () => {
    const card = only(run(FIXTURES['not-ok']['order-sign-tizanidine-ciprofloxacin']));
    expect(card.indicator).toBe('critical');
    expect(card.source.topic?.code).toBe('onc-hp-ddi-13');
    expect(card.summary).toContain('hypotension and sedation');
    expect(actionsOf(card)).toContainEqual(expect.objectContaining({ type: 'update', resource: expect.objectContaining({ id: 'active-tizanidine', status: 'stopped' }) }));
  });
});

describe('scenario: atazanavir + PPI (ONC #2)', () => {
  it('is critical: loss of antiretroviral effect, the draft PPI as precipitant', () => {
    const card = only(run(FIXTURES['not-ok']['order-sign-atazanavir-ppi']));
    expect(card.indicator).toBe('critical');
    expect(card.source.topic?.code).toBe('onc-hp-ddi-2');
    expect(card.summary).toContain('loss of antiretroviral effect');
    expect(card.detail).toContain('(object: atazanavir)');
    expect(card.detail).toContain('(precipitant: omeprazole)');
  });
});

describe('scenario: ramelteon + fluvoxamine (ONC #9)', () => {
  const card = only(run(FIXTURES['not-ok']['order-sign-ramelteon-fluvoxamine']));

  it('is critical against a patient-reported fluvoxamine coded at ingredient level (42355)', () => {
    expect(card.indicator).toBe('critical');
    expect(card.source.topic?.code).toBe('onc-hp-ddi-9');
    expect(card.detail).toContain('MedicationStatement/statement-fluvoxamine');
  });

  it('does not offer to stop a MedicationStatement', () => {
    expect(actionsOf(card).map((a) => a.type)).toEqual(['delete']);
  });
});

describe('scenario: febuxostat + azathioprine (ONC #3)', () => {
  it('is critical: myelosuppression', () => {
    const card = only(run(FIXTURES['not-ok']['order-sign-febuxostat-azathioprine']));
    expect(card.indicator).toBe('critical');
    expect(card.source.topic?.code).toBe('onc-hp-ddi-3');
    expect(card.summary).toContain('myelosuppression');
  });
});

describe('scenario: warfarin + NSAID (HL7 PDDI-CDS, not ONC)', () => {
  it('is a warning citing PDDI-CDS, never labelled ONC', () => {
    const card = only(run(FIXTURES['not-ok']['order-sign-warfarin-nsaid']));
    expect(card.indicator).toBe('warning');
    expect(card.source.topic?.code).toBe('pddi-cds-warfarin-nsaid');
    expect(card.source.url).toBe('https://github.com/HL7/PDDI-CDS');
    expect(card.summary).not.toContain('ONC');
    expect(card.summary).toContain('bleeding');
  });
});

describe('scenario: near-miss atorvastatin + clarithromycin (ONC #11 class boundary)', () => {
  const request = FIXTURES.ok['order-sign-near-miss-atorvastatin-clarithromycin'];

  it('answers no card: ONC #11 lists only simvastatin and lovastatin', () => {
    expect(run(request).cards).toEqual([]);
  });

  it('does answer once the active statin is simvastatin (the boundary is the class list)', () => {
    const simvastatin = structuredClone(request);
    const active = (simvastatin.prefetch!['medicationRequests'] as { entry: { resource: { medicationCodeableConcept: { coding: { code: string }[] } } }[] }).entry[0]!;
    active.resource.medicationCodeableConcept.coding[0]!.code = '198211';
    expect(only(run(simvastatin)).source.topic?.code).toBe('onc-hp-ddi-11');
  });
});

describe('scenario: negative control ibuprofen + simvastatin', () => {
  const request = FIXTURES.ok['order-sign-negative-control-ibuprofen-simvastatin'];

  it('answers no card', () => {
    expect(run(request).cards).toEqual([]);
  });

  it('answers once the draft is clarithromycin instead (the control can fail)', () => {
    expect(run(withDraftCode(request, '197517')).cards).toHaveLength(1);
  });
});

describe('scenario: drug–allergy', () => {
  it('is critical for ibuprofen against an active ibuprofen allergy', () => {
    const card = only(run(FIXTURES['not-ok']['order-sign-drug-allergy']));
    expect(card.indicator).toBe('critical');
    expect(card.source.topic?.code).toBe('drug-allergy');
    expect(card.detail).toContain('AllergyIntolerance/allergy-ibuprofen');
    expect(actionsOf(card)).toEqual([expect.objectContaining({ type: 'delete', resourceId: 'MedicationRequest/draft-ibuprofen' })]);
  });

  it('answers no card when the allergy is resolved', () => {
    expect(run(FIXTURES.ok['order-sign-resolved-allergy-ibuprofen']).cards).toEqual([]);
  });
});

describe('scenario: duplicate therapy', () => {
  it('warns when the Zocor SBD (152923 → 198211) duplicates active simvastatin', () => {
    const card = only(run(FIXTURES['not-ok']['order-sign-duplicate-therapy']));
    expect(card.indicator).toBe('warning');
    expect(card.source.topic?.code).toBe('duplicate-therapy');
    expect(card.summary).toBe('Duplicate therapy: simvastatin is already an active medication');
  });
});

describe('scenario: uncoded medication', () => {
  it('is critical and says it needs the prescriber’s separate authorization', () => {
    const card = only(run(FIXTURES['not-ok']['order-sign-uncoded-medication']));
    expect(card.indicator).toBe('critical');
    expect(card.source.topic?.code).toBe('uncoded-medication');
    expect(card.summary).toContain('separate authorization');
    expect(card.links?.[0]?.app).toBe('medication-review');
  });
});

describe('scenario: legacy medication-prescribe', () => {
  it('reads the drafts from context.medications', () => {
    const request = FIXTURES['not-ok']['medication-prescribe-statin-macrolide'];
    expect(request.context.draftOrders).toBeUndefined();
    expect(only(run(request)).source.topic?.code).toBe('onc-hp-ddi-11');
  });
});

describe('scenario: order-select between two drafts', () => {
  const request = FIXTURES['not-ok']['order-select-tizanidine-ciprofloxacin-drafts'];

  it('flags the selected ciprofloxacin against the unsigned tizanidine draft, offering to remove either', () => {
    const card = only(run(request));
    expect(card.source.topic?.code).toBe('onc-hp-ddi-13');
    expect(actionsOf(card).map((a) => a.resourceId)).toEqual(['MedicationRequest/draft-ciprofloxacin', 'MedicationRequest/draft-tizanidine']);
  });

  it('answers no card when only an unrelated order is selected', () => {
    const unselected = { ...request, context: { ...request.context, selections: ['ServiceRequest/other'] } };
    expect(run(unselected).cards).toEqual([]);
  });
});

describe('scenario: allergy list missing (issue 10.5)', () => {
  const request = FIXTURES['not-ok']['order-sign-statin-macrolide-allergies-missing'];

  it('still answers the interaction, and one warning naming the drug–allergy check that did not run', () => {
    const response = run(request, [{ key: 'allergyIntolerances', reason: 'not-supplied-and-not-fetchable' }]);
    expect(topics(response)).toEqual([
      ['critical', 'onc-hp-ddi-11'],
      ['warning', 'checks-not-performed'],
    ]);
    expect(response.cards[1]!.detail).toContain('**Drug–allergy check not performed:** the patient’s allergy list was not sent by the EHR');
  });

  it('names the check even when the host reported nothing (a missing key is never "no allergies")', () => {
    expect(topics(run(request)).at(-1)).toEqual(['warning', 'checks-not-performed']);
  });
});

describe('scenario: a key dropped by the scope evaluator (issue 10.5)', () => {
  const request = FIXTURES['not-ok']['order-sign-statin-macrolide'];

  it('whole key: the active medication orders are not covered, so their checks are named not performed', () => {
    const response = run(without(request, 'medicationRequests'), [{ key: 'medicationRequests', reason: 'scope-dropped' }]);
    expect(topics(response)).toEqual([['warning', 'checks-not-performed']]);
    expect(response.cards[0]!.detail).toContain(
      '**Interaction and duplicate-therapy checks against the patient’s active medication orders not performed:** the patient’s list of active medication orders is not covered by the access granted for this call.',
    );
  });

  it('some entries: the interaction found on the rest, and the warning says how many were left out', () => {
    const response = run(request, [{ key: 'medicationRequests', reason: 'scope-dropped', entries: 1 }]);
    expect(topics(response)).toEqual([
      ['critical', 'onc-hp-ddi-11'],
      ['warning', 'checks-not-performed'],
    ]);
    expect(response.cards[1]!.detail).toContain('1 medication order left out (not covered by the access granted for this call)');
  });
});

describe('scenario: an order just begun (issue 10.6)', () => {
  const request = FIXTURES.ok['order-select-order-just-begun'];

  it('answers no card: a draft with no medication is incomplete, not uncoded', () => {
    expect(run(request).cards).toEqual([]);
  });

  it('answers no card either when patient data is missing: there is nothing to check yet', () => {
    expect(run(without(request, 'allergyIntolerances'), [{ key: 'allergyIntolerances', reason: 'fetch-failed' }]).cards).toEqual([]);
  });

  it('answers the critical uncoded card once the order has free text but no RxNorm code', () => {
    const typed = structuredClone(request);
    Object.assign(typed.context.draftOrders!.entry![0]!.resource!, { medicationCodeableConcept: { text: 'Magic mouthwash' } });
    expect(topics(run(typed))).toEqual([['critical', 'uncoded-medication']]);
  });
});

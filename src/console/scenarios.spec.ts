import { drugChoices, loadScenarios, readScenario } from './scenarios.js';

const RXNORM = 'http://www.nlm.nih.gov/research/umls/rxnorm';

describe(readScenario.name, () => {
  it('reads the chart an EHR would show: patient, orders and reported medications, allergies with status, drafts', () => {
    const s = readScenario('x', {
      hook: 'order-sign',
      context: {
        patientId: 'p1',
        draftOrders: { entry: [{ resource: { resourceType: 'MedicationRequest', medicationCodeableConcept: { text: 'tea' } } }] },
      },
      prefetch: {
        patient: { resourceType: 'Patient', id: 'p1', name: [{ given: ['Ana', 'B.'], family: 'Cruz' }], gender: 'female' },
        medicationRequests: { entry: [{ resource: { medicationCodeableConcept: { coding: [{ system: RXNORM, code: '1', display: 'Drug A' }] } } }] },
        medicationStatements: { entry: [{ resource: { medicationCodeableConcept: { coding: [{ system: 'other', code: '9', display: 'Drug B' }] } } }] },
        allergyIntolerances: { entry: [{ resource: { code: { text: 'penicillin' }, clinicalStatus: { coding: [{ code: 'resolved' }] } } }] },
      },
    });
    expect(s).toMatchObject({
      patient: { id: 'p1', name: 'Ana B. Cruz', gender: 'female' },
      medications: [
        { display: 'Drug A', code: '1', kind: 'order' },
        { display: 'Drug B', kind: 'reported' },
      ],
      allergies: [{ display: 'penicillin', kind: 'resolved' }],
      drafts: [{ display: 'tea' }],
    });
    expect(s?.medications[1]).not.toHaveProperty('code');
  });

  it('leaves out the legacy medication-prescribe scenarios the console does not call', () => {
    expect(readScenario('legacy', { hook: 'medication-prescribe', context: { patientId: 'p' } })).toBeUndefined();
  });
});

describe(drugChoices.name, () => {
  it('offers every coded drug of the shipped scenarios once, by name', () => {
    const drugs = drugChoices(loadScenarios());
    expect(drugs.length).toBeGreaterThan(10);
    expect(new Set(drugs.map((d) => d.code)).size).toBe(drugs.length);
    expect(drugs.every((d) => d.code !== undefined)).toBe(true);
    const names = drugs.map((d) => d.display);
    expect(names).toEqual(names.toSorted((a, b) => a.localeCompare(b)));
  });
});

import type { EvaluationData, FhirResource, UnavailablePrefetch } from '../../src/cds/cds-types.js';
import { readPatientData } from './patient-data.js';
import { medicationRequest, PATIENT_ID, searchset } from './testing/builders.js';

const allergy = (id: string, text: unknown = 'ibuprofen', patient = PATIENT_ID): FhirResource => ({
  resourceType: 'AllergyIntolerance',
  id,
  code: { text },
  patient: { reference: `Patient/${patient}` },
});
const complete = { medicationRequests: searchset([]), medicationStatements: searchset([]), allergyIntolerances: searchset([]) };
const data = (prefetch: Record<string, FhirResource | null>, unavailable: UnavailablePrefetch[] = []): EvaluationData => ({ prefetch, unavailable, effectiveScopes: [] });

describe('readPatientData', () => {
  it('keeps active MedicationRequests and MedicationStatements of the patient', () => {
    const statement = { ...medicationRequest('s', '42355'), resourceType: 'MedicationStatement' };
    const requests = searchset([medicationRequest('a', '198211'), medicationRequest('b', '198211', 'completed'), medicationRequest('c', '198211', 'active', 'other')]);
    const { actives, gaps } = readPatientData(data({ ...complete, medicationRequests: requests, medicationStatements: searchset([statement]) }), PATIENT_ID);
    expect(actives.map((m) => m.reference)).toEqual(['MedicationRequest/a', 'MedicationStatement/s']);
    expect(gaps).toEqual([]);
  });

  it('keeps allergies of the patient only', () => {
    const { allergies } = readPatientData(data({ ...complete, allergyIntolerances: searchset([allergy('a1'), allergy('a2', 'x', 'other')]) }), PATIENT_ID);
    expect(allergies.map((a) => a.id)).toEqual(['a1']);
  });

  it('P3 null is "searched, found nothing": no gap', () => {
    expect(readPatientData(data({ medicationRequests: null, medicationStatements: null, allergyIntolerances: null }), PATIENT_ID).gaps).toEqual([]);
  });

  it('issue 10.5 passes on what the host reported unavailable, and never reads a missing key as "none"', () => {
    const { medicationRequests: _omit, allergyIntolerances: _omit2, ...rest } = complete;
    const reported: UnavailablePrefetch[] = [{ key: 'allergyIntolerances', reason: 'scope-dropped' }];
    expect(readPatientData(data(rest, reported), PATIENT_ID).gaps).toEqual([
      { key: 'medicationRequests', reason: 'not-supplied-and-not-fetchable' },
      { key: 'allergyIntolerances', reason: 'scope-dropped' },
    ]);
  });

  it('P4 an OperationOutcome in place of a searchset is a failed fetch; another non-Bundle is unreadable', () => {
    const outcome = { resourceType: 'OperationOutcome', issue: [{ severity: 'error', code: 'timeout' }] };
    const { gaps } = readPatientData(data({ ...complete, medicationRequests: outcome, allergyIntolerances: { resourceType: 'Patient', id: PATIENT_ID } }), PATIENT_ID);
    expect(gaps).toEqual([
      { key: 'medicationRequests', reason: 'fetch-failed' },
      { key: 'allergyIntolerances', reason: 'invalid-data' },
    ]);
  });

  it('issue 10.8 one unreadable allergy is left out and counted; the others are read', () => {
    const { allergies, gaps } = readPatientData(data({ ...complete, allergyIntolerances: searchset([allergy('bad', 42), allergy('good')]) }), PATIENT_ID);
    expect(allergies.map((a) => a.id)).toEqual(['good']);
    expect(gaps).toEqual([{ key: 'allergyIntolerances', reason: 'invalid-data', entries: 1 }]);
  });

  it('keeps the host’s report of entries left out next to the rest', () => {
    const reported: UnavailablePrefetch[] = [{ key: 'medicationRequests', reason: 'scope-dropped', entries: 2 }];
    const { actives, gaps } = readPatientData(data({ ...complete, medicationRequests: searchset([medicationRequest('a', '198211')]) }, reported), PATIENT_ID);
    expect(actives).toHaveLength(1);
    expect(gaps).toEqual(reported);
  });
});

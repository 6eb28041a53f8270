import { PATIENT_COMPARTMENT, R4_RESOURCE_TYPES, SEARCH_PARAM_KINDS, SEARCH_PARAM_PATHS } from './fhir-r4.generated.js';

describe('vendored FHIR R4 data', () => {
  it('has the R4 Patient compartment: 67 types with params, 78 without', () => {
    const entries = Object.entries(PATIENT_COMPARTMENT);
    expect(entries).toHaveLength(145);
    expect(entries.filter(([, params]) => params.length > 0)).toHaveLength(67);
    expect(entries.filter(([, params]) => params.length === 0)).toHaveLength(78);
    expect(PATIENT_COMPARTMENT.Observation).toEqual(['subject', 'performer']);
    expect(PATIENT_COMPARTMENT.Device).toEqual([]);
  });

  it('has a FHIRPath for every compartment param', () => {
    const missing = Object.entries(PATIENT_COMPARTMENT).flatMap(([type, params]) =>
      params.filter((param) => !SEARCH_PARAM_PATHS[type]?.[param]?.startsWith(`${type}.`)).map((param) => `${type}.${param}`),
    );
    expect(missing).toEqual([]);
    expect(SEARCH_PARAM_PATHS.Observation.category).toBe('Observation.category');
    expect(SEARCH_PARAM_PATHS.MedicationRequest.code).toBe('MedicationRequest.medication.ofType(CodeableConcept)');
    expect(SEARCH_PARAM_PATHS.Condition['clinical-status']).toBe('Condition.clinicalStatus');
  });

  it('lists the R4 resource types exactly (case-sensitive names)', () => {
    expect(R4_RESOURCE_TYPES).toHaveLength(146);
    expect(R4_RESOURCE_TYPES).toEqual(expect.arrayContaining(['Patient', 'Observation', 'Parameters', 'Bundle', 'Binary', 'OperationOutcome']));
    expect(R4_RESOURCE_TYPES).not.toContain('Resource');
    expect(R4_RESOURCE_TYPES).not.toContain('DomainResource');
  });

  it('knows reference/token/date param kinds for prefetch templates', () => {
    expect(SEARCH_PARAM_KINDS.Observation).toMatchObject({ patient: 'reference', code: 'token', date: 'date', _id: 'token', _lastUpdated: 'date' });
    expect(SEARCH_PARAM_KINDS.Patient.name).toBeUndefined();
  });
});

import { evaluate } from './evaluate.js';
import { covers, formatScopes, intersect, normalize } from './scope-set.js';

// smart-scopes.md §6.2 (I1–I15) and §5.2 intersection rules.
const CAT = 'http://terminology.hl7.org/CodeSystem/observation-category';
const ctx = { patientId: '123' };
// Patient 123 is in context unless a test passes null.
const fmt = (needed: string, delegated: string, patientId: string | null = '123') => formatScopes(intersect(needed, delegated, { patientId: patientId ?? undefined }));

function observation(subject: string, ...categories: string[]) {
  return { resourceType: 'Observation', subject: { reference: subject }, category: categories.map((code) => ({ coding: [{ system: CAT, code }] })) };
}

describe('normalize / intersect', () => {
  it('I1 r + s ≡ rs', () => {
    expect(formatScopes('patient/Observation.r patient/Observation.s')).toEqual(['patient/Observation.rs']);
    expect(fmt('patient/Observation.r patient/Observation.s', 'patient/Observation.r patient/Observation.s')).toEqual(['patient/Observation.rs']);
  });

  it('I2 cruds ∩ rs = rs', () => {
    expect(fmt('patient/AllergyIntolerance.cruds', 'patient/AllergyIntolerance.rs')).toEqual(['patient/AllergyIntolerance.rs']);
  });

  it('I3 cruds ∩ (rs + cud) = cruds', () => {
    expect(fmt('patient/AllergyIntolerance.cruds', 'patient/AllergyIntolerance.rs patient/AllergyIntolerance.cud')).toEqual(['patient/AllergyIntolerance.cruds']);
  });

  it('I4 cruds ∩ patient/*.rs = AllergyIntolerance.rs', () => {
    expect(fmt('patient/AllergyIntolerance.cruds', 'patient/*.rs')).toEqual(['patient/AllergyIntolerance.rs']);
  });

  it('I5 different types → ∅', () => {
    expect(fmt('patient/AllergyIntolerance.cruds', 'patient/Observation.rs')).toEqual([]);
  });

  it('I6 nothing delegated → ∅', () => {
    expect(fmt('patient/*.cruds user/*.cruds', '')).toEqual([]);
    expect(intersect(['patient/*.rs'], [], ctx)).toEqual([]);
  });

  it('I7 CDS Hooks example: only Observation survives, as v2', () => {
    expect(fmt('user/Observation.rs user/MedicationRequest.rs', 'user/Patient.read user/Observation.read')).toEqual(['user/Observation.rs']);
  });

  it('I8 unconstrained need ∩ granular grant = granular', () => {
    expect(fmt('patient/Observation.rs', `patient/Observation.rs?category=${CAT}|laboratory`)).toEqual([`patient/Observation.rs?category=${CAT}|laboratory`]);
  });

  it('I9 two categories are a conjunction: only observations carrying both pass', () => {
    const effective = intersect(`patient/Observation.rs?category=${CAT}|laboratory`, `patient/Observation.rs?category=${CAT}|vital-signs`, ctx);
    expect(formatScopes(effective)).toEqual([`patient/Observation.rs?category=${CAT}|laboratory&category=${CAT}|vital-signs`]);
    expect(evaluate(observation('Patient/123', 'laboratory'), 'read', effective, ctx)).toBe(false);
    expect(evaluate(observation('Patient/123', 'laboratory', 'vital-signs'), 'read', effective, ctx)).toBe(true);
  });

  it('I10 write is not delegated by .read', () => {
    expect(fmt('user/MedicationRequest.cu', 'user/*.read')).toEqual([]);
  });

  it('I11 patient ∩ user → patient, only with a known patient id', () => {
    expect(fmt('patient/MedicationRequest.rs', 'user/MedicationRequest.rs', '123')).toEqual(['patient/MedicationRequest.rs']);
    expect(fmt('patient/MedicationRequest.rs', 'user/MedicationRequest.rs', null)).toEqual([]);
  });

  it('patient ∩ patient is kept without a patient id (evaluate() then allows nothing for it, E27)', () => {
    expect(fmt('patient/Observation.rs user/Patient.rs', 'patient/*.rs user/*.rs', null)).toEqual(['patient/Observation.rs', 'user/Patient.rs']);
  });

  it('I12 system needs never come from a user token (and system ∩ system is dropped too)', () => {
    expect(fmt('system/*.rs', 'user/*.rs', '123')).toEqual([]);
    expect(fmt('system/*.rs', 'system/*.rs')).toEqual([]);
  });

  it('I13 subset semantics: Observation.rs ∩ patient/*.cruds = Observation.rs', () => {
    expect(fmt('patient/Observation.rs', 'patient/*.cruds')).toEqual(['patient/Observation.rs']);
  });

  it('I14 patient and system scopes together: system read is not narrowed to the compartment', () => {
    const scopes = 'patient/*.rs system/*.rs';
    expect(evaluate(observation('Patient/456'), 'read', scopes, ctx)).toBe(true);
    expect(evaluate(observation('Patient/456'), 'read', 'patient/*.rs', ctx)).toBe(false);
  });

  it('I15 two granular scopes are a union: A or B', () => {
    const scopes = `patient/Observation.rs?category=${CAT}|laboratory patient/Observation.rs?category=${CAT}|vital-signs`;
    expect(evaluate(observation('Patient/123', 'laboratory'), 'read', scopes, ctx)).toBe(true);
    expect(evaluate(observation('Patient/123', 'vital-signs'), 'read', scopes, ctx)).toBe(true);
    expect(evaluate(observation('Patient/123', 'survey'), 'read', scopes, ctx)).toBe(false);
  });

  it('normalize drops scopes subsumed by a wider one and is order-independent', () => {
    expect(formatScopes('patient/Observation.r?category=x patient/*.rs patient/Observation.s')).toEqual(['patient/*.rs']);
    expect(normalize('user/Observation.r user/Observation.s')).toEqual(normalize('user/Observation.s user/Observation.r'));
    expect(formatScopes('patient/Observation.r?b=2&a=1 patient/Observation.s?a=1&b=2')).toEqual(['patient/Observation.rs?a=1&b=2']);
  });

  it('covers ignores queries and context but needs the letter and the type', () => {
    expect(covers('patient/Observation.rs?category=x', 'Observation', 's')).toBe(true);
    expect(covers('patient/*.r', 'Observation', 's')).toBe(false);
    expect(covers('patient/Patient.rs', 'Observation', 's')).toBe(false);
    expect(covers('user/*.cud', 'MedicationRequest', 'c')).toBe(true);
  });
});

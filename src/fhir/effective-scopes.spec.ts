import { effectiveScopes, EffectiveScopesMemo } from './effective-scopes.js';

const SERVICE = ['patient/MedicationRequest.rs', 'patient/AllergyIntolerance.rs', 'user/Practitioner.r'];

describe('effectiveScopes', () => {
  it('intersects the service scopes with the delegated ones in the bound patient (smart-scopes.md §5.2, C3)', () => {
    expect(effectiveScopes(SERVICE, 'patient/MedicationRequest.r user/Practitioner.r', 'p1').formatted).toEqual(['patient/MedicationRequest.r', 'user/Practitioner.r']);
    // patient ∩ user is patient when the patient is known (§5.2).
    expect(effectiveScopes(SERVICE, 'patient/*.rs', 'p1').formatted).toEqual(['patient/AllergyIntolerance.rs', 'patient/MedicationRequest.rs', 'patient/Practitioner.r']);
  });

  it('keeps no patient scope without a patient id (§5.3)', () => {
    expect(effectiveScopes(SERVICE, 'patient/*.rs user/*.rs', undefined).formatted).toEqual(['user/Practitioner.r']);
  });

  it('without a delegation, evaluates under the service scopes themselves (C1)', () => {
    expect(effectiveScopes(SERVICE, undefined, 'p1').formatted).toEqual(['patient/AllergyIntolerance.rs', 'patient/MedicationRequest.rs', 'user/Practitioner.r']);
  });
});

describe('EffectiveScopesMemo', () => {
  it('answers as effectiveScopes does for each service, delegation and patient-id state', () => {
    const memo = new EffectiveScopesMemo();
    for (const delegated of [undefined, 'patient/*.rs', 'user/*.rs', 'patient/MedicationRequest.r']) {
      for (const patientId of [undefined, '', 'p1', 'p2']) {
        expect(memo.get('svc', SERVICE, delegated, patientId)).toEqual(effectiveScopes(SERVICE, delegated, patientId));
      }
    }
  });

  it('keeps services apart, and a missing delegation apart from an empty one', () => {
    const memo = new EffectiveScopesMemo();
    expect(memo.get('a', SERVICE, 'patient/MedicationRequest.rs', 'p1').formatted).toEqual(['patient/MedicationRequest.rs']);
    expect(memo.get('b', ['user/Practitioner.r'], 'patient/MedicationRequest.rs', 'p1').formatted).toEqual([]);
    expect(memo.get('a', SERVICE, undefined, 'p1').formatted).toHaveLength(3);
    expect(memo.get('a', SERVICE, '', 'p1').formatted).toEqual([]);
  });

  it('hands out frozen results, so one call cannot change the next one\'s scopes', () => {
    const result = new EffectiveScopesMemo().get('a', SERVICE, 'patient/*.rs', 'p1');
    expect(Object.isFrozen(result.formatted)).toBe(true);
    expect(Object.isFrozen(result.scopes[0])).toBe(true);
  });

  it('stays bounded: past its size it starts over instead of growing', () => {
    const memo = new EffectiveScopesMemo(2);
    const first = memo.get('a', SERVICE, 'patient/*.rs', 'p1');
    memo.get('a', SERVICE, 'user/*.rs', 'p1');
    expect(memo.get('a', SERVICE, 'patient/*.rs', 'p1')).toBe(first);
    memo.get('a', SERVICE, 'patient/AllergyIntolerance.r', 'p1');
    expect(memo.get('a', SERVICE, 'patient/*.rs', 'p1')).not.toBe(first);
  });
});

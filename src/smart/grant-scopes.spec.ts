import { grantScopes, isScopeSubset, isSystemScopeWithin } from './grant-scopes.js';

describe('grantScopes (requested ∩ registered ∩ ceiling)', () => {
  it('keeps non-resource scopes only when both requested and registered', () => {
    expect(grantScopes({ requested: 'openid fhirUser offline_access', registered: 'openid fhirUser' })).toBe('openid fhirUser');
  });

  it('intersects resource scopes with the registration and the launch ceiling', () => {
    expect(grantScopes({ requested: 'patient/*.cruds', registered: 'patient/Observation.rs patient/Patient.r' })).toBe('patient/Observation.rs patient/Patient.r');
    expect(grantScopes({ requested: 'patient/*.rs', registered: 'patient/*.cruds', ceiling: 'user/Observation.rs', patientId: 'p1' })).toBe('patient/Observation.rs');
  });

  it('a user ceiling without a patient grants no patient/ scopes', () => {
    expect(grantScopes({ requested: 'patient/*.rs', registered: 'patient/*.rs', ceiling: 'user/*.rs' })).toBe('');
  });

  it('an empty ceiling grants no data access but keeps identity scopes', () => {
    expect(grantScopes({ requested: 'launch openid patient/*.rs', registered: 'launch openid patient/*.rs', ceiling: '', patientId: 'p1' })).toBe('launch openid');
  });

  it('never grants system/ scopes through a user flow, nor garbage', () => {
    expect(grantScopes({ requested: 'system/*.rs patient/Foo.rs', registered: 'system/*.rs patient/*.rs' })).toBe('');
  });
});

describe('isScopeSubset (R4)', () => {
  it.each([
    ['patient/*.rs', 'openid patient/*.rs', true],
    ['', 'openid', true],
    ['patient/*.cruds', 'patient/*.rs', false],
  ])('%s ⊆ %s → %s', (a, b, expected) => {
    expect(isScopeSubset(a, b)).toBe(expected);
  });
});

describe('isSystemScopeWithin (J10)', () => {
  it.each([
    ['system/Patient.rs', 'system/*.rs', true],
    ['system/Patient.r', 'system/Patient.rs', true],
    ['system/Patient.rs __introspect', 'system/Patient.rs __introspect', true],
    ['system/Patient.cruds', 'system/Patient.rs', false],
    ['system/Condition.rs', 'system/Patient.rs', false],
    ['user/Patient.rs', 'system/Patient.rs user/Patient.rs', false],
    ['system/Patient.rs offline_access', 'system/Patient.rs', false],
    ['system/Nope.rs', 'system/*.rs', false],
  ])('%s within %s → %s', (requested, registered, expected) => {
    expect(isSystemScopeWithin(requested, registered)).toBe(expected);
  });
});

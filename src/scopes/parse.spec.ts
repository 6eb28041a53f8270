import { parse } from './parse.js';
import { formatScopes } from './scope-set.js';

// smart-scopes.md §6.1 (P1–P24).
const LAB = 'http://terminology.hl7.org/CodeSystem/observation-category|laboratory';

/** The single resource scope of `scope`; throws when it is not exactly one valid resource scope. */
function only(scope: string) {
  const parsed = parse(scope);
  if (parsed.rejected.length || parsed.resourceScopes.length !== 1) throw new Error(`${scope} did not parse to one scope`);
  return parsed.resourceScopes[0];
}

/** For each scope: [scope, number of resource scopes, rejected list] — a rejected scope gives [s, 0, [s]]. */
function outcomes(...scopes: string[]) {
  return scopes.map((scope) => {
    const parsed = parse(scope);
    return [scope, parsed.resourceScopes.length, parsed.rejected];
  });
}

function rejected(...scopes: string[]) {
  return scopes.map((scope) => [scope, 0, [scope]]);
}

describe('parse', () => {
  it('P1 patient/Observation.rs → patient, Observation, {r,s}', () => {
    expect(only('patient/Observation.rs')).toEqual({ context: 'patient', resourceType: 'Observation', permissions: ['r', 's'], query: [] });
  });

  it('P2 v1 .read ⇒ rs', () => {
    expect(only('patient/Observation.read').permissions).toEqual(['r', 's']);
  });

  it('P3 user/*.write ⇒ type *, {c,u,d}', () => {
    expect(only('user/*.write')).toMatchObject({ context: 'user', resourceType: '*', permissions: ['c', 'u', 'd'] });
  });

  it('P4 user/*.* ⇒ cruds', () => {
    expect(only('user/*.*').permissions).toEqual(['c', 'r', 'u', 'd', 's']);
  });

  it('P5 system/*.rs', () => {
    expect(only('system/*.rs')).toMatchObject({ context: 'system', resourceType: '*', permissions: ['r', 's'] });
  });

  it('P6 out-of-order letters (.dus) are rejected', () => {
    const scopes = ['patient/Observation.dus'];
    expect(outcomes(...scopes)).toEqual(rejected(...scopes));
  });

  it('P7 .sdurc, .chum, .c*, .*c parse to nothing', () => {
    const scopes = ['patient/Observation.sdurc', 'patient/Observation.chum', 'patient/Observation.c*', 'patient/Observation.*c'];
    expect(outcomes(...scopes)).toEqual(rejected(...scopes));
  });

  it('P8 duplicate letters are rejected', () => {
    const scopes = ['patient/Observation.rrrrrs', 'user/Patient.crudss'];
    expect(outcomes(...scopes)).toEqual(rejected(...scopes));
  });

  it('P9 trailing junk never becomes .read', () => {
    const scopes = ['patient/Observation.read-only', 'patient/Observation.rsXYZ'];
    expect(outcomes(...scopes)).toEqual(rejected(...scopes));
  });

  it('P10 unknown or miscased types are rejected', () => {
    const scopes = ['patient/observation.rs', 'patient/Observaton.rs', 'patient/Foobar.read'];
    expect(outcomes(...scopes)).toEqual(rejected(...scopes));
  });

  it('P11 empty permission is rejected', () => {
    const scopes = ['patient/Observation.', 'patient/Observation.?category=x'];
    expect(outcomes(...scopes)).toEqual(rejected(...scopes));
  });

  it('P12 granular category keeps system|code', () => {
    expect(only(`patient/Observation.rs?category=${LAB}`).query).toEqual([{ name: 'category', value: LAB }]);
  });

  it('P13 search modifiers are rejected', () => {
    const scopes = ['patient/Observation.rs?code:in=http://valueset.example.org/ValueSet/diabetes-codes', 'patient/Observation.rs?category:not=x'];
    expect(outcomes(...scopes)).toEqual(rejected(...scopes));
  });

  it('P14 chains and _has are rejected', () => {
    const scopes = ['patient/Observation.rs?subject.name=Smith', 'user/Patient.rs?_has:Observation:patient:code=x'];
    expect(outcomes(...scopes)).toEqual(rejected(...scopes));
  });

  it('P15 _include, _revinclude and _filter are rejected', () => {
    const scopes = ['patient/Observation.rs?_include=Observation:subject', 'patient/Observation.rs?_revinclude=Provenance:target', 'patient/Observation.rs?_filter=code%20eq%20x'];
    expect(outcomes(...scopes)).toEqual(rejected(...scopes));
  });

  it('P16 a param named like a modifier word is fine', () => {
    expect(only('patient/Patient.rs?identifier=http://example.com|123').query).toEqual([{ name: 'identifier', value: 'http://example.com|123' }]);
  });

  it('P17 two ANDed constraints (sorted canonically)', () => {
    expect(only('patient/Patient.rs?name=john&gender=male').query).toEqual([
      { name: 'gender', value: 'male' },
      { name: 'name', value: 'john' },
    ]);
  });

  it('P17b malformed pairs are rejected', () => {
    const scopes = ['patient/Patient.rs?identifier=x?mrn=12345', 'patient/Patient.rs?gender', 'patient/Patient.rs?gender=', 'patient/Patient.rs?a=1&&b=2'];
    expect(outcomes(...scopes)).toEqual(rejected(...scopes));
  });

  it('P18 launch and identity scopes are opaque, not errors', () => {
    const parsed = parse('launch launch/patient openid fhirUser offline_access online_access');
    expect(parsed).toEqual({ resourceScopes: [], opaque: ['launch', 'launch/patient', 'openid', 'fhirUser', 'offline_access', 'online_access'], rejected: [] });
  });

  it('the analytics API scope is opaque; a near miss is rejected', () => {
    expect(parse('analytics.read analytics.write analytics')).toEqual({ resourceScopes: [], opaque: ['analytics.read'], rejected: ['analytics.write', 'analytics'] });
  });

  it('P19 launch/list?role=<url> is an opaque launch scope', () => {
    expect(parse('launch/list?role=https://example.org/med-list-at-home')).toEqual({
      resourceScopes: [],
      opaque: ['launch/list?role=https://example.org/med-list-at-home'],
      rejected: [],
    });
  });

  it('P20 extension scopes pass through as opaque', () => {
    expect(parse(['__profilePhoto.manage', 'https://ehr.example.org/scopes/profilePhoto.manage']).opaque).toEqual([
      '__profilePhoto.manage',
      'https://ehr.example.org/scopes/profilePhoto.manage',
    ]);
  });

  it('P21 System/* and system/client.read are rejected', () => {
    const scopes = ['System/*', 'system/client.read', 'system/Client.'];
    expect(outcomes(...scopes)).toEqual(rejected(...scopes));
  });

  it('P22 v1 and v2 in one set are both accepted (design; MS answers 400)', () => {
    expect(formatScopes(parse('patient/Patient.read patient/Observation.r').resourceScopes)).toEqual(['patient/Observation.r', 'patient/Patient.rs']);
  });

  it('P23 mixed contexts are accepted as a union (design; MS answers 400)', () => {
    expect(formatScopes(parse('patient/Patient.read user/Observation.read').resourceScopes)).toEqual(['patient/Patient.rs', 'user/Observation.rs']);
  });

  it('P24 Entra-only forms are rejected', () => {
    const scopes = ['patient%2fObservation.rs', 'patient.Patient.read', 'patient$Patient.read'];
    expect(outcomes(...scopes)).toEqual(rejected(...scopes));
  });

  it('C6 v1 scopes from fhirAuthorization normalise to v2 strings', () => {
    expect(formatScopes('user/Patient.read user/Observation.read')).toEqual(['user/Observation.rs', 'user/Patient.rs']);
  });

  it('accepts a list whose items hold several scopes, and ignores extra whitespace', () => {
    expect(parse(['  openid  patient/Observation.rs', '']).resourceScopes).toHaveLength(1);
  });
});

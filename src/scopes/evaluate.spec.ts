import { DEFAULT_SHARED_TYPES, evaluate } from './evaluate.js';
import { filterBundle, type BundleEntryLike } from './filter-bundle.js';
import { covers } from './scope-set.js';
import type { FhirResource } from './types.js';

// smart-scopes.md §6.3 (E1–E38) and §6.4 C5, for resources we hold (prefetch, fetched data, /fhir results).
// Enforced by the /fhir endpoint (src/fhir/server) instead, because they are about how a search is run rather
// than about a resource: E24/E25 (chained and _has searches through unscoped types), E26 (403 up front: it
// uses covers(), pinned below), E30 (whole-system `?_type=` search), E31 ($everything on another patient),
// E34 (transaction atomicity). E20–E23 are pinned here at the result-filtering level.

const CAT = 'http://terminology.hl7.org/CodeSystem/observation-category';
const BASE = 'https://ehr.example.org/fhir';
const ctx = { patientId: '123', fhirBase: BASE };

function obs(id: string, extra: Record<string, unknown> = {}): FhirResource {
  return { resourceType: 'Observation', id, status: 'final', ...extra };
}
const subject = (reference: string) => ({ subject: { reference } });
const category = (...codes: string[]) => ({ category: codes.map((code) => ({ coding: [{ system: CAT, code }] })) });
const entry = (resource: FhirResource, mode?: string): BundleEntryLike => ({ fullUrl: `${BASE}/${resource.resourceType}/${resource.id}`, resource, ...(mode ? { search: { mode } } : {}) });
const bundle = (...entries: BundleEntryLike[]) => ({ resourceType: 'Bundle' as const, type: 'searchset', total: entries.length, entry: entries });
const ids = (b: { entry?: readonly { resource?: FhirResource }[] }) => (b.entry ?? []).map((e) => `${e.resource?.resourceType}/${e.resource?.id}`);

describe('evaluate: patient compartment', () => {
  it('E1 Observation of the context patient is allowed', () => {
    expect(evaluate(obs('1', subject('Patient/123')), 'read', 'patient/Observation.rs', ctx)).toBe(true);
  });

  it('E2 Observation of another patient is denied', () => {
    expect(evaluate(obs('1', subject('Patient/456')), 'read', 'patient/Observation.rs', ctx)).toBe(false);
  });

  it('E3 performer is a compartment param', () => {
    expect(evaluate(obs('1', { ...subject('Patient/456'), performer: [{ reference: 'Patient/123' }] }), 'read', 'patient/Observation.rs', ctx)).toBe(true);
  });

  it('E4 focus is not a compartment param', () => {
    expect(evaluate(obs('1', { ...subject('Patient/456'), focus: [{ reference: 'Patient/123' }] }), 'read', 'patient/*.rs', ctx)).toBe(false);
  });

  it('E5 versioned references are normalised', () => {
    expect(evaluate({ resourceType: 'Condition', id: 'c', ...subject('Patient/123/_history/1') }, 'read', 'patient/Condition.rs', ctx)).toBe(true);
  });

  it('E6 absolute references count only on our fhirBase', () => {
    expect(evaluate(obs('1', subject(`${BASE}/Patient/123`)), 'read', 'patient/Observation.rs', ctx)).toBe(true);
    expect(evaluate(obs('1', subject('https://other.example.org/fhir/Patient/123')), 'read', 'patient/Observation.rs', ctx)).toBe(false);
    expect(evaluate(obs('1', subject(`${BASE}/Patient/123`)), 'read', 'patient/Observation.rs', { patientId: '123' })).toBe(false);
  });

  it('E7 Patient itself only when id is the context', () => {
    expect(evaluate({ resourceType: 'Patient', id: '123' }, 'read', 'patient/Patient.r', ctx)).toBe(true);
    expect(evaluate({ resourceType: 'Patient', id: '456' }, 'read', 'patient/Patient.r', ctx)).toBe(false);
  });

  it('E8 a Patient linked to the context patient is denied (design)', () => {
    expect(evaluate({ resourceType: 'Patient', id: '456', link: [{ other: { reference: 'Patient/123' }, type: 'seealso' }] }, 'read', 'patient/Patient.rs', ctx)).toBe(false);
  });

  it('E9 Practitioner is a shared type', () => {
    expect(evaluate({ resourceType: 'Practitioner', id: '9' }, 'read', 'patient/*.rs', ctx)).toBe(true);
    expect(evaluate({ resourceType: 'Practitioner', id: '9' }, 'read', 'patient/*.rs', { ...ctx, sharedTypes: [] })).toBe(false);
  });

  it('E10 Medication is a shared type', () => {
    expect(evaluate({ resourceType: 'Medication', id: 'abc' }, 'read', 'patient/*.rs', ctx)).toBe(true);
  });

  it('E11 an included Medication needs a scope covering Medication', () => {
    const mr = { resourceType: 'MedicationRequest', id: 'm1', ...subject('Patient/123'), medicationReference: { reference: 'Medication/abc' } };
    const result = filterBundle(bundle(entry(mr, 'match'), entry({ resourceType: 'Medication', id: 'abc' }, 'include')), 'search', 'patient/MedicationRequest.rs', ctx);
    expect(ids(result.bundle)).toEqual(['MedicationRequest/m1']);
    expect(result.dropped).toBe(1);
  });

  it('E12 Device of another patient denied; unassigned Device only when Device is shared', () => {
    const shared = { ...ctx, sharedTypes: [...DEFAULT_SHARED_TYPES, 'Device'] };
    expect(evaluate({ resourceType: 'Device', id: 'd1', patient: { reference: 'Patient/456' } }, 'read', 'patient/*.rs', shared)).toBe(false);
    expect(evaluate({ resourceType: 'Device', id: 'd2' }, 'read', 'patient/*.rs', shared)).toBe(true);
    expect(evaluate({ resourceType: 'Device', id: 'd2' }, 'read', 'patient/*.rs', ctx)).toBe(false);
    expect(evaluate({ resourceType: 'Device', id: 'd3', patient: { reference: 'Patient/123' } }, 'read', 'patient/*.rs', ctx)).toBe(true);
  });

  it('E13 Provenance targeting the patient is in the compartment', () => {
    expect(evaluate({ resourceType: 'Provenance', id: 'p', target: [{ reference: 'Patient/123' }] }, 'read', 'patient/Provenance.rs', ctx)).toBe(true);
  });

  it('E14/E15 a revincluded Provenance passes only when one of its targets does', () => {
    const mine = obs('1', subject('Patient/123'));
    const theirs = obs('2', subject('Patient/456'));
    const provMine = { resourceType: 'Provenance', id: 'pv1', target: [{ reference: 'Observation/1' }] };
    const provTheirs = { resourceType: 'Provenance', id: 'pv2', target: [{ reference: `${BASE}/Observation/2` }] };
    const result = filterBundle(bundle(entry(mine, 'match'), entry(theirs, 'match'), entry(provMine, 'include'), entry(provTheirs, 'include')), 'search', 'patient/*.rs', ctx);
    expect(ids(result.bundle)).toEqual(['Observation/1', 'Provenance/pv1']);
    expect(evaluate(provMine, 'read', 'patient/*.rs', ctx)).toBe(false);
    expect(evaluate(provMine, 'read', 'patient/*.rs', { ...ctx, resolve: (ref) => (ref === 'Observation/1' ? mine : undefined) })).toBe(true);
  });
});

describe('evaluate: granular scopes', () => {
  const lab = `patient/Observation.rs?category=${CAT}|laboratory`;

  it('E16 laboratory scope: lab allowed, vital-signs denied, lab+survey allowed', () => {
    expect(evaluate(obs('1', { ...subject('Patient/123'), ...category('laboratory') }), 'read', lab, ctx)).toBe(true);
    expect(evaluate(obs('2', { ...subject('Patient/123'), ...category('vital-signs') }), 'read', lab, ctx)).toBe(false);
    expect(evaluate(obs('3', { ...subject('Patient/123'), ...category('laboratory', 'survey') }), 'read', lab, ctx)).toBe(true);
  });

  it('E17 a token without system matches any system', () => {
    expect(evaluate(obs('1', { ...subject('Patient/123'), ...category('laboratory') }), 'read', 'patient/Observation.rs?category=laboratory', ctx)).toBe(true);
  });

  it('token forms |code, system|, comma OR, primitive codes and choice types', () => {
    const o = obs('1', { ...subject('Patient/123'), ...category('laboratory'), code: { coding: [{ code: 'nosys' }] } });
    expect(evaluate(o, 'read', 'patient/Observation.rs?code=|nosys', ctx)).toBe(true);
    expect(evaluate(o, 'read', `patient/Observation.rs?category=|laboratory`, ctx)).toBe(false);
    expect(evaluate(o, 'read', `patient/Observation.rs?category=${CAT}|`, ctx)).toBe(true);
    expect(evaluate(o, 'read', `patient/Observation.rs?category=${CAT}|survey,${CAT}|laboratory`, ctx)).toBe(true);
    expect(evaluate(o, 'read', 'patient/Observation.rs?status=final', ctx)).toBe(true);
    expect(evaluate(o, 'read', 'patient/Observation.rs?status=amended', ctx)).toBe(false);
    const mr = { resourceType: 'MedicationRequest', id: 'm', ...subject('Patient/123'), medicationCodeableConcept: { coding: [{ system: 'http://www.nlm.nih.gov/research/umls/rxnorm', code: '1049502' }] } };
    expect(evaluate(mr, 'read', 'patient/MedicationRequest.rs?code=http://www.nlm.nih.gov/research/umls/rxnorm|1049502', ctx)).toBe(true);
  });

  it('a constraint the type cannot evaluate matches nothing (fail closed), also through *', () => {
    expect(evaluate(obs('1', subject('Patient/123')), 'read', 'patient/Observation.rs?name=x', ctx)).toBe(false);
    expect(evaluate({ resourceType: 'Patient', id: '123' }, 'read', 'patient/*.rs?category=x', ctx)).toBe(false);
  });

  it('meta params: _id, _tag, _security, _profile', () => {
    const o = obs('1', { ...subject('Patient/123'), meta: { tag: [{ system: 's', code: 't' }], security: [{ system: 'v', code: 'N' }], profile: ['http://p'] } });
    expect(evaluate(o, 'read', 'patient/Observation.rs?_id=1&_tag=s|t&_security=v|N&_profile=http://p', ctx)).toBe(true);
    expect(evaluate(o, 'read', 'patient/Observation.rs?_security=v|R', ctx)).toBe(false);
  });
});

describe('evaluate: interactions and contexts', () => {
  const mine = obs('1', subject('Patient/123'));

  it('E18 r without s: read allowed, search denied', () => {
    expect(evaluate(mine, 'read', 'patient/Observation.r', ctx)).toBe(true);
    expect(evaluate(mine, 'search', 'patient/Observation.r', ctx)).toBe(false);
  });

  it('E19 s without r: search allowed, read denied', () => {
    expect(evaluate(mine, 'search', 'patient/Observation.s', ctx)).toBe(true);
    expect(evaluate(mine, 'read', 'patient/Observation.s', ctx)).toBe(false);
  });

  it('E20 Observation search with an included Patient under Observation-only scope: Patient dropped', () => {
    const result = filterBundle(bundle(entry(mine, 'match'), entry({ resourceType: 'Patient', id: '123' }, 'include')), 'search', 'patient/Observation.rs', ctx);
    expect(ids(result.bundle)).toEqual(['Observation/1']);
  });

  it('E21 Patient search with revincluded Observations under Patient-only scope: Patient only', () => {
    const result = filterBundle(bundle(entry({ resourceType: 'Patient', id: '123' }, 'match'), entry(mine, 'include')), 'search', 'patient/Patient.rs', ctx);
    expect(ids(result.bundle)).toEqual(['Patient/123']);
  });

  it('E22/E23 with patient/*.rs only compartment members survive (included Patient/456 via focus dropped)', () => {
    const focusOnOther = obs('2', { ...subject('Patient/123'), focus: [{ reference: 'Patient/456' }] });
    const result = filterBundle(
      bundle(entry({ resourceType: 'Patient', id: '123' }, 'match'), entry(focusOnOther, 'include'), entry({ resourceType: 'Patient', id: '456' }, 'include'), entry(obs('3', subject('Patient/456')), 'include')),
      'search',
      'patient/*.rs',
      ctx,
    );
    expect(ids(result.bundle)).toEqual(['Patient/123', 'Observation/2']);
    expect(result.dropped).toBe(2);
  });

  it('E26 covers() lets /fhir refuse a search up front when no scope has s for the type', () => {
    expect(covers('patient/Patient.rs', 'Observation', 's')).toBe(false);
  });

  it('E27 patient scopes without a patient context allow nothing', () => {
    expect(evaluate(mine, 'read', 'patient/Observation.rs', {})).toBe(false);
  });

  it('E28 an invalid patient context allows nothing', () => {
    expect(evaluate(obs('1', subject('Group/xyz')), 'read', 'patient/Observation.rs', { patientId: 'Group/xyz' })).toBe(false);
    expect(evaluate(obs('1', subject('Patient/')), 'read', 'patient/Observation.rs', { patientId: 'Patient/' })).toBe(false);
    expect(evaluate(obs('1', subject('Patient/')), 'read', 'patient/Observation.rs', { patientId: '' })).toBe(false);
  });

  it('E29 user and system scopes need no context', () => {
    expect(evaluate(obs('1', subject('Patient/456')), 'read', 'user/Observation.rs system/*.rs', {})).toBe(true);
  });

  it('E32 create: c allows creating for the patient only, and does not allow reading it back', () => {
    expect(evaluate(mine, 'create', 'patient/Observation.c', ctx)).toBe(true);
    expect(evaluate(obs('2', subject('Patient/456')), 'create', 'patient/Observation.c', ctx)).toBe(false);
    expect(evaluate(mine, 'read', 'patient/Observation.c', ctx)).toBe(false);
  });

  it('E33 update needs read as well as u; delete needs d', () => {
    expect(evaluate(mine, 'update', 'patient/Observation.u', ctx)).toBe(false);
    expect(evaluate(mine, 'update', 'patient/Observation.ru', ctx)).toBe(true);
    expect(evaluate(mine, 'delete', 'patient/Observation.rs', ctx)).toBe(false);
    expect(evaluate(mine, 'delete', 'patient/Observation.d', ctx)).toBe(true);
  });

  it('E35 entries without resource content are dropped; non-resources are denied', () => {
    const result = filterBundle(bundle({ fullUrl: `${BASE}/Observation/1` }, entry(mine, 'match')), 'search', 'patient/*.rs', ctx);
    expect(result.dropped).toBe(1);
    expect(ids(result.bundle)).toEqual(['Observation/1']);
    for (const junk of [undefined, null, 'Observation', [mine], { id: '1' }]) expect(evaluate(junk, 'read', 'user/*.cruds', ctx)).toBe(false);
  });

  it('E36 system/*.rs reads any patient', () => {
    expect(evaluate(obs('1', subject('Patient/456')), 'read', 'system/*.rs', {})).toBe(true);
  });

  it('E37 user scopes are not narrowed to the Practitioner compartment (design)', () => {
    expect(evaluate(obs('1', { ...subject('Patient/456'), performer: [{ reference: 'Practitioner/8' }] }), 'read', 'user/*.rs', ctx)).toBe(true);
  });

  it('E38 a List without a patient subject is denied under patient scopes (design)', () => {
    expect(evaluate({ resourceType: 'List', id: 'plan', meta: { profile: ['http://hl7.org/fhir/us/davinci-drug-formulary/StructureDefinition/usdf-CoveragePlan'] } }, 'read', 'patient/List.rs', ctx)).toBe(false);
  });

  it('non-compartment types (e.g. Questionnaire) are denied under patient scopes but allowed under user scopes', () => {
    expect(evaluate({ resourceType: 'Questionnaire', id: 'q' }, 'read', 'patient/*.rs', ctx)).toBe(false);
    expect(evaluate({ resourceType: 'Questionnaire', id: 'q' }, 'read', 'user/*.rs', ctx)).toBe(true);
  });
});

describe('filterBundle', () => {
  it('C5 drops another patient’s Observation from a prefetch Bundle and keeps Bundle metadata', () => {
    const input = { ...bundle(entry(obs('1', subject('Patient/123'))), entry(obs('2', subject('Patient/456')))), id: 'b', link: [{ relation: 'self', url: `${BASE}/Observation` }] };
    const result = filterBundle(input, 'search', 'patient/Observation.rs', ctx);
    expect(ids(result.bundle)).toEqual(['Observation/1']);
    expect(result.dropped).toBe(1);
    expect(result.bundle).toMatchObject({ id: 'b', type: 'searchset', total: 2, link: input.link });
    expect(input.entry).toHaveLength(2);
  });

  it('leaves a Bundle without entries as it is', () => {
    expect(filterBundle({ resourceType: 'Bundle', type: 'searchset' }, 'search', 'patient/*.rs', ctx)).toEqual({ bundle: { resourceType: 'Bundle', type: 'searchset' }, dropped: 0 });
  });
});

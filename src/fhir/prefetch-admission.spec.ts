import { normalize } from '../scopes/index.js';
import type { FhirResource, PrefetchSpec } from './fhir-types.js';
import { admit, bundleResources, exceedsResources } from './prefetch-admission.js';

// What one prefetch value comes to before evaluate() (CDS Hooks §Prefetch P3/P4, smart-scopes.md C5,
// issue 10.8: data of the wrong shape is dropped and counted, never a 500).
const scopes = normalize(['patient/MedicationRequest.rs', 'patient/Patient.r']);
const ctx = { patientId: 'p1' };
const spec: PrefetchSpec = { template: 'MedicationRequest?patient={{context.patientId}}' };
const med = (id: string, patient = 'p1'): FhirResource => ({ resourceType: 'MedicationRequest', id, subject: { reference: `Patient/${patient}` } });
const searchset = (entry: unknown): FhirResource => ({ resourceType: 'Bundle', type: 'searchset', entry });
const outcome = (severity: string): FhirResource => ({ resourceType: 'OperationOutcome', issue: [{ severity, code: 'processing' }] });
const notM2 = (r: FhirResource) => r.id !== 'm2';
const ids = (value: FhirResource | null | undefined) => bundleResources(value).map((r) => r.id);

describe('admit: a single resource', () => {
  it('passes a permitted, readable resource on', () => {
    expect(admit({ resourceType: 'Patient', id: 'p1' }, spec, scopes, ctx)).toEqual({ value: { resourceType: 'Patient', id: 'p1' }, dropped: 0, gaps: [] });
  });

  it('P4 an OperationOutcome in place of the data is a failed fetch', () => {
    expect(admit(outcome('error'), spec, scopes, ctx)).toEqual({ value: undefined, dropped: 0, gaps: [{ reason: 'fetch-failed' }] });
  });

  it('C5 another patient’s resource is dropped and counted: scope-dropped', () => {
    expect(admit({ resourceType: 'Patient', id: 'p2' }, spec, scopes, ctx)).toEqual({ value: undefined, dropped: 1, gaps: [{ reason: 'scope-dropped' }] });
  });

  it('a resource the service’s reader refuses (or throws on) is dropped and counted: invalid-data', () => {
    const refusing = { ...spec, readable: () => false };
    const throwing = {
      ...spec,
      readable: () => {
        throw new TypeError('bad');
      },
    };
    for (const s of [refusing, throwing]) {
      expect(admit({ resourceType: 'Patient', id: 'p1' }, s, scopes, ctx)).toEqual({ value: undefined, dropped: 1, gaps: [{ reason: 'invalid-data' }] });
    }
  });
});

describe('admit: a searchset', () => {
  it('passes a Bundle without entry, or with an empty one, on as "no data"', () => {
    expect(admit(searchset(undefined), spec, scopes, ctx)).toMatchObject({ value: { resourceType: 'Bundle' }, dropped: 0, gaps: [] });
    expect(admit(searchset([]), spec, scopes, ctx)).toMatchObject({ value: { entry: [] }, dropped: 0, gaps: [] });
  });

  it.each([
    ['an object', { resource: med('m1') }],
    ['a string', 'entries'],
    ['a number', 3],
    ['null', null],
  ])('issue 10.8 a non-array entry (%s) makes the whole key invalid-data, counted once', (_name, entry) => {
    expect(admit(searchset(entry), spec, scopes, ctx)).toEqual({ value: undefined, dropped: 1, gaps: [{ reason: 'invalid-data' }] });
  });

  it('issue 10.8 drops and counts entries that are not objects holding a resource (null, no resource, no resourceType)', () => {
    const entry = [null, 7, 'x', [], {}, { resource: null }, { resource: { id: 'no-type' } }, { resource: med('m1') }];
    const admitted = admit(searchset(entry), spec, scopes, ctx);
    expect(ids(admitted.value)).toEqual(['m1']);
    expect(admitted).toMatchObject({ dropped: 7, gaps: [{ reason: 'invalid-data', entries: 7 }] });
  });

  it('E35 a searchset of nothing but broken entries is unavailable as a whole, not an empty list', () => {
    expect(admit(searchset([null, {}]), spec, scopes, ctx)).toEqual({ value: undefined, dropped: 2, gaps: [{ reason: 'invalid-data' }] });
  });

  it('C5 drops another patient’s entries: some → scope-dropped with a count, all → the whole key', () => {
    const some = admit(searchset([{ resource: med('m1') }, { resource: med('m2', 'p2') }]), spec, scopes, ctx);
    expect(ids(some.value)).toEqual(['m1']);
    expect(some).toMatchObject({ dropped: 1, gaps: [{ reason: 'scope-dropped', entries: 1 }] });
    const all = admit(searchset([{ resource: med('m2', 'p2') }]), spec, scopes, { patientId: 'p1' });
    expect(all).toEqual({ value: undefined, dropped: 1, gaps: [{ reason: 'scope-dropped' }] });
  });

  it('drops and counts what the service’s reader refuses, after the scope evaluator', () => {
    const admitted = admit(searchset([{ resource: med('m1') }, { resource: med('m2') }, { resource: med('m3', 'p2') }]), { ...spec, readable: notM2 }, scopes, ctx);
    expect(ids(admitted.value)).toEqual(['m1']);
    expect(admitted).toMatchObject({ dropped: 2, gaps: [{ reason: 'scope-dropped', entries: 1 }, { reason: 'invalid-data', entries: 1 }] });
  });

  it('P4 an error OperationOutcome inside the searchset is a partial failure; informational ones are not data and not a gap', () => {
    const withError = admit(searchset([{ resource: med('m1') }, { resource: outcome('fatal'), search: { mode: 'outcome' } }]), spec, scopes, ctx);
    expect(ids(withError.value)).toEqual(['m1']);
    expect(withError).toMatchObject({ dropped: 0, gaps: [{ reason: 'fetch-failed', entries: 1 }] });
    const onlyError = admit(searchset([{ resource: outcome('error') }]), spec, scopes, ctx);
    expect(onlyError).toEqual({ value: undefined, dropped: 0, gaps: [{ reason: 'fetch-failed' }] });
    const info = admit(searchset([{ resource: med('m1') }, { resource: outcome('information') }]), spec, scopes, ctx);
    expect(info).toMatchObject({ dropped: 0, gaps: [] });
    expect(ids(info.value)).toEqual(['m1']);
  });

  it('keeps the Bundle’s own fields (P5: the next link of a first page)', () => {
    const page = { ...searchset([{ resource: med('m1') }]), link: [{ relation: 'next', url: 'https://ehr.test/fhir?page=2' }] };
    expect(admit(page, spec, scopes, ctx).value).toMatchObject({ type: 'searchset', link: page.link });
  });
});

describe('bundleResources', () => {
  it.each([
    ['not a Bundle', { resourceType: 'Patient' }, []],
    ['no entry', { resourceType: 'Bundle' }, []],
    ['a non-array entry', { resourceType: 'Bundle', entry: { resource: med('m1') } }, []],
    ['broken entries around a good one', { resourceType: 'Bundle', entry: [null, {}, { resource: 'x' }, { resource: med('m1') }] }, ['m1']],
    ['a string', 'Bundle', []],
  ])('%s → %j', (_name, value, expected) => {
    expect(bundleResources(value).map((r) => r.id)).toEqual(expected);
  });
});

const bundleOf = (n: number) => ({ resourceType: 'Bundle', entry: Array.from({ length: n }, () => ({})) });

describe('exceedsResources', () => {
  it('a Bundle with more entries than the bound; other resources and Bundles without entries never', () => {
    expect(exceedsResources(bundleOf(3), 2)).toBe(true);
    expect(exceedsResources(bundleOf(2), 2)).toBe(false);
    expect(exceedsResources({ resourceType: 'Bundle' }, 0)).toBe(false);
    expect(exceedsResources({ resourceType: 'Patient', entry: [1, 2, 3] }, 1)).toBe(false);
  });
});

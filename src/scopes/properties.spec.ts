import fc from 'fast-check';
import { evaluate } from './evaluate.js';
import { filterBundle } from './filter-bundle.js';
import { parse } from './parse.js';
import { format, formatScopes, intersect, normalize } from './scope-set.js';
import { PERMISSION_ORDER, type Interaction, type ResourceScope } from './types.js';

// Properties of §5.2 intersection and §5.4 filtering over random scopes and resources.
const CAT = 'http://terminology.hl7.org/CodeSystem/observation-category';
const TYPES = ['Observation', 'Condition', 'Patient', 'Practitioner', 'Provenance', 'Device'];
const PARAMS = [`category=${CAT}|laboratory`, 'category=vital-signs', 'status=final', 'code=x', '_id=1'];

const scopeArb: fc.Arbitrary<ResourceScope> = fc.record({
  context: fc.constantFrom('patient' as const, 'user' as const, 'system' as const),
  resourceType: fc.constantFrom('*', ...TYPES),
  permissions: fc.subarray([...PERMISSION_ORDER], { minLength: 1 }),
  query: fc.oneof({ weight: 3, arbitrary: fc.constant([] as string[]) }, { weight: 2, arbitrary: fc.subarray(PARAMS, { maxLength: 2 }) }).map((ps) => ps.map((p) => ({ name: p.slice(0, p.indexOf('=')), value: p.slice(p.indexOf('=') + 1) }))),
});
const scopesArb = fc.array(scopeArb, { maxLength: 5 });
const userOrPatientScopesArb = fc.array(scopeArb.filter((s) => s.context !== 'system'), { maxLength: 5 });
// Strings too, so parse() is part of the round trip.
const scopeStringsArb = scopesArb.map((list) => list.map(format));

const resourceArb = fc.record({
  resourceType: fc.constantFrom(...TYPES),
  id: fc.constantFrom('1', '123', '456'),
  status: fc.constantFrom('final', 'amended'),
  subject: fc.constantFrom({ reference: 'Patient/123' }, { reference: 'Patient/456' }, { reference: 'Group/1' }),
  patient: fc.option(fc.constantFrom({ reference: 'Patient/123' }, { reference: 'Patient/456' }), { nil: undefined }),
  target: fc.constantFrom([{ reference: 'Patient/123' }], [{ reference: 'Observation/1' }]),
  category: fc.subarray(['laboratory', 'vital-signs', 'survey']).map((codes) => codes.map((code) => ({ coding: [{ system: CAT, code }] }))),
});
const interactionArb = fc.constantFrom<Interaction>('read', 'search', 'create', 'update', 'delete');
const patientIdArb = fc.option(fc.constantFrom('123', '456'), { nil: undefined });

describe('scope properties', () => {
  it('intersect is commutative', () => {
    fc.assert(
      fc.property(scopeStringsArb, scopeStringsArb, patientIdArb, (a, b, patientId) => {
        expect(formatScopes(intersect(a, b, { patientId }))).toEqual(formatScopes(intersect(b, a, { patientId })));
      }),
    );
  });

  it('intersect is idempotent: a ∩ a = a (no system scopes), and (a ∩ b) ∩ b = a ∩ b', () => {
    fc.assert(
      fc.property(userOrPatientScopesArb, scopesArb, (a, b) => {
        expect(formatScopes(intersect(a, a, { patientId: '123' }))).toEqual(formatScopes(a));
        const ab = intersect(a, b, { patientId: '123' });
        expect(formatScopes(intersect(ab, b, { patientId: '123' }))).toEqual(formatScopes(ab));
      }),
    );
  });

  it('intersect is never wider than either side', () => {
    fc.assert(
      fc.property(scopesArb, scopesArb, resourceArb, interactionArb, patientIdArb, (a, b, resource, interaction, patientId) => {
        const ctx = { patientId };
        const allowed = evaluate(resource, interaction, intersect(a, b, { patientId }), ctx);
        expect(!allowed || (evaluate(resource, interaction, a, ctx) && evaluate(resource, interaction, b, ctx))).toBe(true);
      }),
      { numRuns: 2000 },
    );
  });

  it('normalize keeps exactly the same decisions', () => {
    fc.assert(
      fc.property(scopesArb, resourceArb, interactionArb, patientIdArb, (a, resource, interaction, patientId) => {
        expect(evaluate(resource, interaction, normalize(a), { patientId })).toBe(evaluate(resource, interaction, a, { patientId }));
      }),
      { numRuns: 500 },
    );
  });

  it('format and parse round-trip', () => {
    fc.assert(
      fc.property(scopesArb, (list) => {
        expect(parse(formatScopes(list))).toEqual({ resourceScopes: normalize(list), opaque: [], rejected: [] });
      }),
    );
  });

  it('filterBundle never adds or changes an entry', () => {
    fc.assert(
      fc.property(fc.array(resourceArb, { maxLength: 8 }), scopesArb, interactionArb, patientIdArb, (resources, scopes, interaction, patientId) => {
        const entries = resources.map((resource) => ({ resource }));
        const { bundle, dropped } = filterBundle({ resourceType: 'Bundle', entry: entries }, interaction, scopes, { patientId });
        const kept = bundle.entry ?? [];
        expect(kept.length + dropped).toBe(entries.length);
        let cursor = 0;
        for (const e of kept) {
          cursor = entries.indexOf(e, cursor) + 1;
          expect(cursor).toBeGreaterThan(0);
        }
      }),
    );
  });
});

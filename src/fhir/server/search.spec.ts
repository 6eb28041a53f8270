import { InvalidIssue } from './fhir-errors.js';
import { parseSearch } from './search.js';

const obs = {
  resourceType: 'Observation',
  id: 'o1',
  status: 'final',
  category: [{ coding: [{ system: 'http://terminology.hl7.org/CodeSystem/observation-category', code: 'laboratory' }] }],
  code: { coding: [{ system: 'http://loinc.org', code: '6301-6' }] },
  subject: { reference: 'Patient/p1' },
};

describe('parseSearch', () => {
  it.each([
    [{ patient: 'p1' }, true],
    [{ patient: 'Patient/p1' }, true],
    [{ subject: 'Patient/p2' }, false],
    [{ category: 'laboratory' }, true],
    [{ category: 'http://terminology.hl7.org/CodeSystem/observation-category|vital-signs' }, false],
    [{ code: 'http://loinc.org|6301-6' }, true],
    [{ status: 'final', _id: 'o1' }, true],
    [{ _id: 'o2' }, false],
  ])('%o matches → %s', (query, expected) => {
    expect(parseSearch(query).matches(obs)).toBe(expected);
  });

  it('_count is capped; unknown, repeated or empty parameters are 400', () => {
    expect(parseSearch({ _count: '5' }).count).toBe(5);
    expect(parseSearch({ _count: '100000' }).count).toBe(200);
    expect(parseSearch({ patient: 'p1', _count: '100000' }).params).toEqual([
      ['patient', 'p1'],
      ['_count', '200'],
    ]);
    expect(() => parseSearch({ 'name:contains': 'x' })).toThrow(InvalidIssue);
    expect(() => parseSearch({ patient: ['a', 'b'] })).toThrow(InvalidIssue);
    expect(() => parseSearch({ _count: '-1' })).toThrow(InvalidIssue);
  });
});

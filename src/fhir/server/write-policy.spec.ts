import type { WriteRule } from '../fhir-types.js';
import { bodyDigest, overrideConfigProblems, overrideIssue, requiredOverrides, writeRulesByService } from './write-policy.js';

const rule = (id: string, level: 'confirm' | 'reauthenticate', trips = true): WriteRule => ({
  rule: id,
  level,
  reads: [],
  check: () => (trips ? { rule: id, level, reason: `${id} reason`, critical: level === 'reauthenticate' } : null),
});

const input = { resource: { resourceType: 'MedicationRequest' }, patientId: 'p1', data: [] };

describe('write policy', () => {
  it('requiredOverrides: every tripped rule at its level; the operator may raise it (DESIGN.md configuration contract)', () => {
    const rules = [rule('uncoded-medication', 'confirm'), rule('drug-allergy', 'reauthenticate'), rule('quiet', 'confirm', false)];
    expect(requiredOverrides(rules, input, {}).map((f) => [f.rule, f.level])).toEqual([
      ['uncoded-medication', 'confirm'],
      ['drug-allergy', 'reauthenticate'],
    ]);
    expect(requiredOverrides(rules, input, { 'uncoded-medication': 'reauthenticate' }).map((f) => f.level)).toEqual(['reauthenticate', 'reauthenticate']);
  });

  it('overrideConfigProblems: an unknown rule or a lowered level stops the start', () => {
    const rules = writeRulesByService([{ id: 'svc', writeRules: [rule('uncoded-medication', 'confirm'), rule('drug-allergy', 'reauthenticate')] }, { id: 'other' }]);
    expect(overrideConfigProblems(rules, { 'uncoded-medication': 'reauthenticate', 'drug-allergy': 'reauthenticate' })).toEqual([]);
    expect(overrideConfigProblems(rules, { 'drug-allergy': 'confirm', typo: 'confirm' })).toEqual([
      "overrides.drug-allergy: confirm is below the service's level reauthenticate",
      'overrides.typo: no service declares a write rule typo',
    ]);
  });

  it('bodyDigest: sha-256 of the canonical JSON, so key order does not matter and any value change does', () => {
    expect(bodyDigest({ b: 1, a: [1, { d: 2, c: 3 }] })).toBe(bodyDigest({ a: [1, { c: 3, d: 2 }], b: 1 }));
    expect(bodyDigest({ a: 1 })).not.toBe(bodyDigest({ a: 2 }));
    // sha256('{"a":1}'), base64
    expect(bodyDigest({ a: 1 })).toBe('sha-256=AVq9f1zFei3ZS3WQ8ErYCEJzkF7jPsXOvq5iJ2qX+GI=');
  });

  it('overrideIssue: DESIGN.md "Refusal" shape, security, override-required and the four sub-extensions', () => {
    const finding = { rule: 'drug-allergy', level: 'reauthenticate' as const, reason: 'allergy', critical: true };
    expect(overrideIssue({ publicUrl: 'https://hw.test' }, 'https://hw.test/auth/authorize', { finding, token: 'tok', problem: 'why' })).toEqual({
      severity: 'error',
      code: 'security',
      details: { coding: [{ system: 'https://hw.test/fhir/CodeSystem/override', code: 'override-required', display: 'Override required' }], text: 'allergy' },
      diagnostics: 'why',
      extension: [
        {
          url: 'https://hw.test/fhir/StructureDefinition/override-request',
          extension: [
            { url: 'token', valueString: 'tok' },
            { url: 'level', valueCode: 'reauthenticate' },
            { url: 'rule', valueCode: 'drug-allergy' },
            { url: 'authorize', valueUrl: 'https://hw.test/auth/authorize' },
          ],
        },
      ],
    });
  });
});

import { operationOutcome } from './operation-outcome.js';

describe('operationOutcome', () => {
  it('an issue without a severity is an error; the issue keeps its fields in order', () => {
    expect(JSON.stringify(operationOutcome([{ code: 'invalid', diagnostics: 'hook: is required', expression: ['hook'] }]))).toBe(
      '{"resourceType":"OperationOutcome","issue":[{"severity":"error","code":"invalid","diagnostics":"hook: is required","expression":["hook"]}]}',
    );
  });

  it('carries warning and information issues ($validate answers)', () => {
    expect(operationOutcome([{ severity: 'warning', code: 'security' }, { severity: 'information', code: 'informational' }]).issue.map((i) => i.severity)).toEqual([
      'warning',
      'information',
    ]);
  });

  it('carries details and nested extensions: the step-up override refusal (DESIGN.md "Step-up override protocol")', () => {
    const base = 'https://hw.test/fhir';
    const issue = {
      code: 'security' as const,
      details: { coding: [{ system: `${base}/CodeSystem/override`, code: 'override-required' }] },
      diagnostics: 'this order needs a confirmed override',
      extension: [
        {
          url: `${base}/StructureDefinition/override-request`,
          extension: [
            { url: 'token', valueString: 'eyJ…' },
            { url: 'level', valueCode: 'confirm' },
            { url: 'rule', valueCode: 'uncoded-medication' },
            { url: 'authorize', valueUrl: 'https://hw.test/auth/authorize' },
          ],
        },
      ],
    };
    expect(operationOutcome([issue])).toEqual({ resourceType: 'OperationOutcome', issue: [{ severity: 'error', ...issue }] });
  });
});

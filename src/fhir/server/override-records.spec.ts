import { ACR_VALUES } from '../../smart/override/override-types.js';
import { overrideDetectedIssues, overrideProvenance, statedReason } from './override-records.js';

const PUBLIC = 'https://hw.test';
const reason = { system: 'http://hookwarden.dev/CodeSystem/override-reason', code: 'benefit-outweighs-risk', display: 'Benefit outweighs risk' };
const written = { resourceType: 'MedicationRequest', id: 'mr1', extension: [{ url: `${PUBLIC}/fhir/StructureDefinition/override-reason`, valueCoding: reason }] };
const input = {
  publicUrl: PUBLIC,
  written,
  interaction: 'create' as const,
  findings: [
    { rule: 'uncoded-medication', level: 'confirm' as const, reason: 'uncoded', critical: false },
    { rule: 'drug-allergy', level: 'reauthenticate' as const, reason: 'allergy', critical: true },
  ],
  override: { details: [], acr: ACR_VALUES.reauthenticate, authTime: 1, sub: 'Practitioner/1', baseGrant: 'g1' },
  jti: 'jti-1',
  patient: 'p1',
  at: new Date('2026-12-02T05:00:00Z'),
};

// DESIGN.md "Record".
describe('override records', () => {
  it('statedReason reads the clinician’s coded reason from the override-reason extension, only a coding with a code', () => {
    expect(statedReason(written, PUBLIC)).toEqual(reason);
    expect(statedReason({ resourceType: 'MedicationRequest', extension: [{ url: `${PUBLIC}/fhir/StructureDefinition/override-reason`, valueCoding: 'x' }] }, PUBLIC)).toBeUndefined();
    expect(statedReason({ resourceType: 'MedicationRequest', extension: 'x' }, PUBLIC)).toBeUndefined();
  });

  it('the Provenance: target, agent, activity, reasons (rules and the stated reason), level and the override jti', () => {
    expect(overrideProvenance(input)).toEqual({
      resourceType: 'Provenance',
      target: [{ reference: 'MedicationRequest/mr1' }],
      recorded: '2026-12-02T05:00:00.000Z',
      activity: { coding: [{ system: 'http://terminology.hl7.org/CodeSystem/v3-DataOperation', code: 'CREATE' }] },
      reason: [
        { coding: [{ system: `${PUBLIC}/fhir/CodeSystem/override`, code: 'uncoded-medication' }], text: 'uncoded' },
        { coding: [{ system: `${PUBLIC}/fhir/CodeSystem/override`, code: 'drug-allergy' }], text: 'allergy' },
        { coding: [reason] },
      ],
      agent: [{ who: { reference: 'Practitioner/1' } }],
      extension: [
        { url: `${PUBLIC}/fhir/StructureDefinition/override-level`, valueCode: 'reauthenticate' },
        { url: `${PUBLIC}/fhir/StructureDefinition/override-jti`, valueString: 'jti-1' },
      ],
    });
  });

  it('a DetectedIssue per critical finding only, with the clinician’s mitigation', () => {
    expect(overrideDetectedIssues(input)).toEqual([
      {
        resourceType: 'DetectedIssue',
        status: 'final',
        severity: 'high',
        code: { coding: [{ system: `${PUBLIC}/fhir/CodeSystem/override`, code: 'drug-allergy' }] },
        patient: { reference: 'Patient/p1' },
        identifiedDateTime: '2026-12-02T05:00:00.000Z',
        author: { reference: 'Practitioner/1' },
        implicated: [{ reference: 'MedicationRequest/mr1' }],
        detail: 'allergy',
        mitigation: [{ action: { coding: [reason], text: 'Benefit outweighs risk' }, date: '2026-12-02T05:00:00.000Z', author: { reference: 'Practitioner/1' } }],
      },
    ]);
    expect(overrideDetectedIssues({ ...input, findings: [input.findings[0]!] })).toEqual([]);
  });
});

import type { FhirResource } from '../../scopes/index.js';
import { levelOfAcr } from '../../smart/override/override-checks.js';
import type { OverrideGrant } from '../../smart/override/override-types.js';
import type { WriteRuleFinding } from '../fhir-types.js';

/*
 * What a write accepted with an override leaves behind (DESIGN.md "Record"), pure: a Provenance of the
 * written resource and, for a critical finding, a DetectedIssue with the clinician's mitigation.
 */

/** The extension by which an app states the clinician's coded reason on the resource it writes. */
export const overrideReasonExtension = (publicUrl: string): string => `${publicUrl}/fhir/StructureDefinition/override-reason`;

/** FHIR R4 Coding, as the reason extension carries it. */
interface Coding {
  system?: string;
  code?: string;
  display?: string;
}

/** The clinician's coded reason the app put on the resource (`valueCoding` of the override-reason extension), if any. */
export function statedReason(resource: FhirResource, publicUrl: string): Coding | undefined {
  const url = overrideReasonExtension(publicUrl);
  const ext = Array.isArray(resource.extension) ? (resource.extension as { url?: unknown; valueCoding?: unknown }[]).find((e) => e?.url === url) : undefined;
  const coding = ext?.valueCoding as Coding | undefined;
  return typeof coding === 'object' && coding !== null && typeof coding.code === 'string' ? { system: coding.system, code: coding.code, display: coding.display } : undefined;
}

export interface OverrideRecordInput {
  publicUrl: string;
  written: FhirResource;
  interaction: 'create' | 'update';
  findings: readonly WriteRuleFinding[];
  override: OverrideGrant;
  /** The override access token's jti. */
  jti: string;
  patient?: string;
  serviceId?: string;
  at: Date;
}

/** v3 DataOperation codes (FHIR R4 Provenance.activity). */
const DATA_OPERATION = 'http://terminology.hl7.org/CodeSystem/v3-DataOperation';

/**
 * DESIGN.md: target = the resource, agent = the user, `reason` (the rules and the clinician's reason),
 * `activity`, the level and the override token's jti.
 */
export function overrideProvenance(input: OverrideRecordInput): FhirResource {
  const system = `${input.publicUrl}/fhir/CodeSystem/override`;
  const stated = statedReason(input.written, input.publicUrl);
  return {
    resourceType: 'Provenance',
    target: [{ reference: `${input.written.resourceType}/${String(input.written.id)}` }],
    recorded: input.at.toISOString(),
    activity: { coding: [{ system: DATA_OPERATION, code: input.interaction === 'create' ? 'CREATE' : 'UPDATE' }] },
    reason: [
      ...input.findings.map((f) => ({ coding: [{ system, code: f.rule }], text: f.reason })),
      ...(stated === undefined ? [] : [{ coding: [stated] }]),
    ],
    agent: [{ who: { reference: input.override.sub } }],
    extension: [
      { url: `${input.publicUrl}/fhir/StructureDefinition/override-level`, valueCode: levelOfAcr(input.override.acr) ?? input.override.acr },
      { url: `${input.publicUrl}/fhir/StructureDefinition/override-jti`, valueString: input.jti },
    ],
  };
}

/** DESIGN.md: overriding a critical finding also records a DetectedIssue with the clinician's mitigation. */
export function overrideDetectedIssues(input: OverrideRecordInput): FhirResource[] {
  const system = `${input.publicUrl}/fhir/CodeSystem/override`;
  const stated = statedReason(input.written, input.publicUrl);
  return input.findings
    .filter((f) => f.critical)
    .map((f) => ({
      resourceType: 'DetectedIssue',
      status: 'final',
      severity: 'high',
      code: { coding: [{ system, code: f.rule }] },
      ...(input.patient === undefined ? {} : { patient: { reference: `Patient/${input.patient}` } }),
      identifiedDateTime: input.at.toISOString(),
      author: { reference: input.override.sub },
      implicated: [{ reference: `${input.written.resourceType}/${String(input.written.id)}` }],
      detail: f.reason,
      mitigation: [
        {
          action: stated === undefined ? { text: 'Overridden by the prescriber' } : { coding: [stated], text: stated.display },
          date: input.at.toISOString(),
          author: { reference: input.override.sub },
        },
      ],
    }));
}

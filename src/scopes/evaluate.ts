import { isInPatientCompartment } from './compartment.js';
import { matchesQuery } from './matches-query.js';
import { isFhirId, localReference } from './reference.js';
import { toResourceScopes } from './scope-set.js';
import { type EvaluationContext, type FhirResource, type Interaction, INTERACTION_LETTER, type Permission, type ResourceScope, type ScopeInput } from './types.js';

/**
 * Types a patient/ scope may read without compartment membership (smart-scopes.md §5.4, MS "universal"
 * types minus Device, which has its own rule: see evaluate()).
 */
export const DEFAULT_SHARED_TYPES: readonly string[] = ['Practitioner', 'Organization', 'Location', 'Medication'];

// Provenance → target → (Provenance → target): bounded so a cycle of Provenances cannot loop.
const MAX_PROVENANCE_DEPTH = 2;

/** Structural check: a JSON object with a string resourceType (E35: absent content is never allowed). */
export function isResource(value: unknown): value is FhirResource {
  return typeof value === 'object' && value !== null && !Array.isArray(value) && typeof (value as FhirResource).resourceType === 'string';
}

/**
 * May `interaction` be performed on `resource` under `scopes` (smart-scopes.md §5.4)? For every letter the
 * interaction needs, some scope must have it, cover the type (`*` or exact), match its granular query
 * (token semantics), and pass its context check: user/ and system/ scopes put no compartment restriction
 * (E29, E36, E37); patient/ scopes need a valid patient id (E27, E28) and then allow Patient/<ctx> itself
 * (not linked Patients, E8), compartment members (E1–E6), shared types (E9, E10), a Device assigned to
 * the patient or an unassigned one when `Device` is a shared type (E12), and a Provenance with at least
 * one target (via `ctx.resolve`) that passes (E14, E15).
 */
export function evaluate(resource: unknown, interaction: Interaction, scopes: ScopeInput, ctx: EvaluationContext = {}): boolean {
  if (!isResource(resource)) return false;
  const list = toResourceScopes(scopes);
  // §5.4: an update needs `u` AND read of the resource (E33, LFH).
  const letters: readonly Permission[] = interaction === 'update' ? ['u', 'r'] : [INTERACTION_LETTER[interaction]];
  return letters.every((letter) => permits(resource, letter, list, ctx, 0));
}

function permits(resource: FhirResource, letter: Permission, scopes: readonly ResourceScope[], ctx: EvaluationContext, depth: number): boolean {
  let patientAccess: boolean | undefined;
  return scopes.some((scope) => {
    if (!scope.permissions.includes(letter)) return false;
    if (scope.resourceType !== '*' && scope.resourceType !== resource.resourceType) return false;
    if (!matchesQuery(resource, scope.query)) return false;
    if (scope.context !== 'patient') return true;
    patientAccess ??= inPatientContext(resource, letter, scopes, ctx, depth);
    return patientAccess;
  });
}

function inPatientContext(resource: FhirResource, letter: Permission, scopes: readonly ResourceScope[], ctx: EvaluationContext, depth: number): boolean {
  const patientId = ctx.patientId;
  if (!isFhirId(patientId)) return false;
  const sharedTypes = ctx.sharedTypes ?? DEFAULT_SHARED_TYPES;
  switch (resource.resourceType) {
    case 'Patient':
      return resource.id === patientId;
    case 'Device': {
      // MS device restriction: a Device assigned to another patient is theirs; unassigned ones are shared only by choice.
      const assigned = (resource.patient as { reference?: unknown } | undefined)?.reference;
      if (assigned === undefined) return sharedTypes.includes('Device');
      return localReference(assigned, ctx.fhirBase) === `Patient/${patientId}`;
    }
    default:
      if (sharedTypes.includes(resource.resourceType)) return true;
      if (isInPatientCompartment(resource, patientId, ctx.fhirBase)) return true;
      return resource.resourceType === 'Provenance' && provenanceTargetPasses(resource, letter, scopes, ctx, depth);
  }
}

// LinuxForHealth #1881: a Provenance is visible when at least one of its targets is.
function provenanceTargetPasses(resource: FhirResource, letter: Permission, scopes: readonly ResourceScope[], ctx: EvaluationContext, depth: number): boolean {
  if (!ctx.resolve || depth >= MAX_PROVENANCE_DEPTH || !Array.isArray(resource.target)) return false;
  return resource.target.some((t: unknown) => {
    const reference = (t as { reference?: unknown } | null)?.reference;
    if (typeof reference !== 'string') return false;
    const target = ctx.resolve?.(localReference(reference, ctx.fhirBase) ?? reference);
    return isResource(target) && permits(target, letter, scopes, ctx, depth + 1);
  });
}

import { bundleResources } from '../fhir/prefetch-admission.js';
import { ContentTooLarge } from '../http/input-errors.js';
import { InvalidRequestError, type FieldProblem } from './cds-errors.js';
import type { CdsRequest, HookContext, HookName } from './cds-types.js';
import { CONTEXT_DTOS, CdsRequestDto, FhirAuthorizationDto, REQUEST_DTOS } from './dto/cds-request.dto.js';
import { instanceProblems, shallowInstance } from './dto/validate-body.js';

/** order-select `selections`: "references FHIR resources in the draftOrders Bundle" (cds-hooks-library order-select). */
function selectionProblems(context: HookContext): FieldProblem[] {
  const drafts = new Set(bundleResources(context.draftOrders).map((r) => `${r.resourceType}/${r.id}`));
  return (context.selections ?? []).flatMap((ref, i) => (drafts.has(ref) ? [] : [{ path: `context.selections[${i}]`, message: 'is not an entry of context.draftOrders' }]));
}

/** The draft-order Bundle field of a hook's context (`medications` for the legacy medication-prescribe). */
const DRAFTS_FIELD: Partial<Record<HookName, 'draftOrders' | 'medications'>> = {
  'order-select': 'draftOrders',
  'order-sign': 'draftOrders',
  'medication-prescribe': 'medications',
};

/** Configured `limits.draftOrders`: a call with more draft orders is refused 413 before anything checks them. */
function checkDraftCount(context: HookContext, hook: HookName, maxDraftOrders: number): void {
  const field = DRAFTS_FIELD[hook];
  const entry = field === undefined ? undefined : context[field]?.entry;
  if (Array.isArray(entry) && entry.length > maxDraftOrders) {
    throw new ContentTooLarge(`context.${field}.entry has more than ${maxDraftOrders} draft orders`, `context.${field}.entry`);
  }
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null;
}

/**
 * The body as DTO instances for one class-validator pass: the context is checked against the hook's
 * table only when the body is for this hook and its context is an object.
 */
function requestInstance(body: Record<string, unknown>, hook: HookName, checkContext: boolean): CdsRequestDto {
  const { context, fhirAuthorization } = body;
  const withContext = checkContext && isObject(context) && !Array.isArray(context);
  return shallowInstance(withContext ? REQUEST_DTOS[hook] : CdsRequestDto, {
    ...body,
    ...(withContext ? { context: shallowInstance(CONTEXT_DTOS[hook], context) } : {}),
    ...(isObject(fhirAuthorization) && !Array.isArray(fhirAuthorization) ? { fhirAuthorization: shallowInstance(FhirAuthorizationDto, fhirAuthorization) } : {}),
  });
}

/**
 * Validates a service call body for a service registered on `hook` (§HTTP Request, hook context
 * tables of cds-hooks-library 1.0.1) in one validation pass. Throws InvalidRequestError naming every
 * bad field, and ContentTooLarge for more than `maxDraftOrders` draft orders.
 */
export async function parseCdsRequest(body: unknown, hook: HookName, maxDraftOrders: number): Promise<CdsRequest> {
  if (!isObject(body) || Array.isArray(body)) throw new InvalidRequestError([{ path: '$', message: 'must be a JSON object' }]);
  const request = body as unknown as CdsRequest;
  // Policy (N12): a body for another hook is a client error, not something to guess around.
  const otherHook = typeof request.hook === 'string' && request.hook !== hook;
  const problems = await instanceProblems(requestInstance(body, hook, !otherHook));
  if (otherHook) problems.push({ path: 'hook', message: `must be ${hook} for this service` });
  if (problems.length === 0 && hook === 'order-select') problems.push(...selectionProblems(request.context));
  if (problems.length > 0) throw new InvalidRequestError(problems);
  checkDraftCount(request.context, hook, maxDraftOrders);
  return request;
}

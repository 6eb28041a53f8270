import { bundleResources } from '../fhir/prefetch-admission.js';
import { ContentTooLarge } from '../http/input-errors.js';
import { InvalidRequestError, type FieldProblem } from './cds-errors.js';
import type { CdsRequest, HookContext, HookName } from './cds-types.js';
import { CONTEXT_DTOS, CdsRequestDto } from './dto/cds-request.dto.js';
import { bodyProblems } from './dto/validate-body.js';

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

/**
 * Validates a service call body for a service registered on `hook` (§HTTP Request, hook context
 * tables of cds-hooks-library 1.0.1). Throws InvalidRequestError naming every bad field, and
 * ContentTooLarge for more than `maxDraftOrders` draft orders.
 */
export async function parseCdsRequest(body: unknown, hook: HookName, maxDraftOrders: number): Promise<CdsRequest> {
  const problems = await bodyProblems(CdsRequestDto, body);
  const request = body as CdsRequest;
  // Policy (N12): a body for another hook is a client error, not something to guess around.
  if (typeof request?.hook === 'string' && request.hook !== hook) problems.push({ path: 'hook', message: `must be ${hook} for this service` });
  else if (typeof request?.context === 'object' && request.context !== null) problems.push(...(await bodyProblems(CONTEXT_DTOS[hook], request.context, 'context')));
  if (problems.length === 0 && hook === 'order-select') problems.push(...selectionProblems(request.context));
  if (problems.length > 0) throw new InvalidRequestError(problems);
  checkDraftCount(request.context, hook, maxDraftOrders);
  return request;
}

import { bundleResources } from '../fhir/prefetch-admission.js';
import { InvalidRequestError, type FieldProblem } from './cds-errors.js';
import type { CdsRequest, HookContext, HookName } from './cds-types.js';
import { CONTEXT_DTOS, CdsRequestDto } from './dto/cds-request.dto.js';
import { bodyProblems } from './dto/validate-body.js';

/** order-select `selections`: "references FHIR resources in the draftOrders Bundle" (cds-hooks-library order-select). */
function selectionProblems(context: HookContext): FieldProblem[] {
  const drafts = new Set(bundleResources(context.draftOrders).map((r) => `${r.resourceType}/${r.id}`));
  return (context.selections ?? []).flatMap((ref, i) => (drafts.has(ref) ? [] : [{ path: `context.selections[${i}]`, message: 'is not an entry of context.draftOrders' }]));
}

/**
 * Validates a service call body for a service registered on `hook` (§HTTP Request, hook context
 * tables of cds-hooks-library 1.0.1). Throws InvalidRequestError naming every bad field.
 */
export async function parseCdsRequest(body: unknown, hook: HookName): Promise<CdsRequest> {
  const problems = await bodyProblems(CdsRequestDto, body);
  const request = body as CdsRequest;
  // Policy (N12): a body for another hook is a client error, not something to guess around.
  if (typeof request?.hook === 'string' && request.hook !== hook) problems.push({ path: 'hook', message: `must be ${hook} for this service` });
  else if (typeof request?.context === 'object' && request.context !== null) problems.push(...(await bodyProblems(CONTEXT_DTOS[hook], request.context, 'context')));
  if (problems.length === 0 && hook === 'order-select') problems.push(...selectionProblems(request.context));
  if (problems.length > 0) throw new InvalidRequestError(problems);
  return request;
}

import { AppError } from '../http/app-error.js';

/**
 * CDS Hooks §Prefetch: "If required data cannot be obtained … the service SHALL respond 412 Precondition
 * Failed". The CDS exception filter answers it with an OperationOutcome (IssueType `processing`). The
 * message names prefetch keys only, never data or tokens.
 */
export class PreconditionFailed extends AppError {
  readonly code = 'processing';
  readonly status = 412;
  readonly issueType = 'processing';
  constructor(readonly keys: readonly string[]) {
    super(`required prefetch data could not be obtained: ${keys.join(', ')}`);
  }
}

/** A prefetch template outside CDS Hooks 2.0 §Prefetch tokens / §Prefetch query restrictions. */
export class PrefetchTemplateError extends Error {
  constructor(
    readonly template: string,
    reason: string,
  ) {
    super(`invalid prefetch template ${JSON.stringify(template)}: ${reason}`);
    this.name = 'PrefetchTemplateError';
  }
}

/**
 * CDS Hooks §Prefetch: "If required data cannot be obtained … the service SHALL respond 412 Precondition
 * Failed". The CDS exception filter answers it with an OperationOutcome (issue.code `processing`). The
 * message names prefetch keys only, never data or tokens.
 */
export class PreconditionFailed extends Error {
  readonly status = 412;
  constructor(readonly keys: readonly string[]) {
    super(`required prefetch data could not be obtained: ${keys.join(', ')}`);
    this.name = 'PreconditionFailed';
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

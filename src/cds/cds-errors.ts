import { AppError } from '../http/app-error.js';
import type { IssueCode, IssueInput } from '../http/operation-outcome.js';

/**
 * Errors of the CDS Hooks transport, named after what the spec (or our policy) says went wrong;
 * their code is the FHIR IssueType of the OperationOutcome the CDS exception filter answers with.
 */
export abstract class CdsError extends AppError {
  abstract override readonly code: IssueCode;
  get issueType(): IssueCode {
    return this.code;
  }
}

/** A bad field in a request body: `path` is the JSON path, `message` what is wrong with it. */
export interface FieldProblem {
  path: string;
  message: string;
}

/** 400: the body is not a valid CDS Hooks request/feedback (§Calling a CDS Service, §Feedback). */
export class InvalidRequestError extends CdsError {
  readonly status = 400;
  readonly code = 'invalid' as const;
  constructor(readonly problems: FieldProblem[]) {
    super(problems.map((p) => `${p.path}: ${p.message}`).join('; '));
  }
  override issues(): IssueInput[] {
    return this.problems.map((p) => ({ code: this.code, diagnostics: `${p.path}: ${p.message}`, expression: [p.path] }));
  }
}

/** 404: no service with this id is served here (§Discovery: a service lives at {baseUrl}/cds-services/{id}). */
export class UnknownServiceError extends CdsError {
  readonly status = 404;
  readonly code = 'not-found' as const;
  constructor() {
    super('no CDS service with this id');
  }
}

/** 404: feedback names a card this service never issued to this client (§Feedback `card`). */
export class UnknownCardError extends CdsError {
  readonly status = 404;
  readonly code = 'not-found' as const;
  constructor(readonly index: number) {
    super(`feedback[${index}].card: no such card was issued by this service`);
  }
}

/** 500: a service's evaluate() returned a card that breaks a rule of §Card Attributes. Detail is only logged. */
export class InvalidCardError extends CdsError {
  readonly status = 500;
  readonly code = 'exception' as const;
  constructor(
    readonly rule: string,
    readonly path: string,
  ) {
    super('service produced an invalid card');
  }
  /** The fixed message names neither the rule nor the path. */
  override get expose(): boolean {
    return true;
  }
}

/** 500: a service's evaluate() threw. The cause is logged, never sent. */
export class ServiceFailedError extends CdsError {
  readonly status = 500;
  readonly code = 'exception' as const;
  constructor() {
    super('service failed');
  }
  /** The fixed message names nothing of the cause. */
  override get expose(): boolean {
    return true;
  }
}

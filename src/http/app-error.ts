import type { CodeableConcept, Extension, IssueCode, IssueInput } from './operation-outcome.js';

/** What a subclass may attach to its OperationOutcome issue. */
export interface AppErrorOptions {
  details?: CodeableConcept;
  extension?: Extension[];
}

/**
 * The one base error of every transport (DESIGN.md § Architecture). Domain code throws a subclass
 * named after its spec's error code; each transport has one filter that renders it: CDS and /fhir
 * as an OperationOutcome, the OAuth endpoints as RFC 6749 §5.2 JSON, browser flows as an HTML page.
 * Anything that is not an AppError is unexpected: a 500 without detail on every transport, logged
 * by name only.
 */
export abstract class AppError extends Error {
  /** The spec's code for this error: an RFC 6749/6750 `error`, or the FHIR IssueType of a CDS or /fhir error. */
  abstract readonly code: string;
  /** The HTTP status it is answered with. */
  abstract readonly status: number;
  /** The FHIR IssueType of its OperationOutcome issue on the CDS and /fhir transports. */
  abstract readonly issueType: IssueCode;
  /**
   * RFC 6749 §4.1.2.1: whether the authorization endpoint may send it back to the client's
   * redirect_uri. Never for an unknown client or an unregistered redirect_uri.
   */
  readonly allowRedirect: boolean = false;
  /** FHIR `OperationOutcome.issue.details`: a coded reason a client can act on. */
  readonly details?: CodeableConcept;
  /** FHIR extensions of the issue. */
  readonly extension?: Extension[];

  constructor(message: string, options: AppErrorOptions = {}) {
    super(message);
    this.name = new.target.name;
    if (options.details) this.details = options.details;
    if (options.extension) this.extension = options.extension;
  }

  /**
   * Whether the message may be shown to the caller. A client error's message says what to fix; a
   * server error's could say what is inside, so by default it is not shown.
   */
  get expose(): boolean {
    return this.status < 500;
  }

  /** The OperationOutcome issues it is rendered as: one by default; per-field or per-rule errors list several. */
  issues(): IssueInput[] {
    return [
      {
        code: this.issueType,
        ...(this.details ? { details: this.details } : {}),
        ...(this.expose ? { diagnostics: this.message } : {}),
        ...(this.extension ? { extension: this.extension } : {}),
      },
    ];
  }
}

/**
 * 503: a dependency (the database) is down for now and the caller may retry. OAuth
 * `temporarily_unavailable` (RFC 6749 §4.1.2.1, so the authorization endpoint may redirect it),
 * FHIR IssueType `transient`, and an HTML page in browser flows.
 */
export class TemporarilyUnavailable extends AppError {
  readonly code = 'temporarily_unavailable';
  readonly status = 503;
  readonly issueType = 'transient';
  override readonly allowRedirect = true;

  constructor(message = 'The service is temporarily unavailable. Please try again in a moment.') {
    super(message);
  }

  /** The message names no part of the system, only that a retry may help. */
  override get expose(): boolean {
    return true;
  }
}

/** What an unexpected error is logged as: its name, never its message (which may carry data) or stack. */
export function errorName(e: unknown): string {
  return e instanceof Error ? e.name : typeof e;
}

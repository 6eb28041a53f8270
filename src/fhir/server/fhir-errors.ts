import { AppError } from '../../http/app-error.js';
import type { Issue, IssueCode, IssueInput } from '../../http/operation-outcome.js';
import { ACR_VALUES, type OverrideLevel } from '../../smart/override/override-types.js';

/**
 * /fhir failures, one class per FHIR OperationOutcome issue type (R4 `IssueType` value set); the FHIR
 * exception filter renders them as OperationOutcome. A missing or invalid bearer token is the
 * authorization server's InvalidToken (IssueType `login`).
 */
export abstract class FhirIssue extends AppError {
  abstract override readonly code: IssueCode;
  get issueType(): IssueCode {
    return this.code;
  }
}

/** IssueType `forbidden`: the token's scopes do not allow this (RFC 6750 §3.1 `insufficient_scope`). */
export class ForbiddenIssue extends FhirIssue {
  readonly status = 403;
  readonly code = 'forbidden';
}

/** IssueType `not-found`. */
export class NotFoundIssue extends FhirIssue {
  readonly status = 404;
  readonly code = 'not-found';
}

/** IssueType `invalid`: malformed request or resource. */
export class InvalidIssue extends FhirIssue {
  readonly status = 400;
  readonly code = 'invalid';
}

/**
 * IssueType `exception` as 502 Bad Gateway (RFC 9110 §15.6.3): the upstream FHIR server failed, timed out
 * or answered something unusable. The message never carries the upstream body.
 */
export class UpstreamIssue extends FhirIssue {
  readonly status = 502;
  readonly code = 'exception';
  /** Its messages say which interaction failed upstream, never what the upstream server answered. */
  override get expose(): boolean {
    return true;
  }
}

/**
 * DESIGN.md "Refusal": the write trips rules no override presented satisfies. 403, one `security` issue per
 * unmet rule (each with its override-request token), and the RFC 9470 §3 challenge naming the `acr` needed.
 */
export class OverrideRequired extends FhirIssue {
  readonly status = 403;
  readonly code = 'security';

  constructor(
    private readonly unmet: readonly Issue[],
    private readonly level: OverrideLevel,
  ) {
    super('an override is required');
  }

  override issues(): IssueInput[] {
    return [...this.unmet];
  }

  /** RFC 9470 §3 `insufficient_user_authentication`, with `acr_values` and `max_age=0` for a re-authentication. */
  challenge(): string {
    const level = this.level;
    return `Bearer error="insufficient_user_authentication", error_description="an override is required", acr_values="${ACR_VALUES[level]}"${level === 'reauthenticate' ? ', max_age=0' : ''}`;
  }
}

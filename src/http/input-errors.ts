import { AppError } from './app-error.js';
import type { InputProblem } from './input-bounds.js';
import type { IssueCode, IssueInput } from './operation-outcome.js';

/**
 * An input refused at the edge, before any route read it: a body the parser could not read, or JSON or
 * text outside the bounds of input-bounds.ts. Every transport answers it as its own 4xx: an
 * OperationOutcome issue on CDS and /fhir, RFC 6749 §5.2 `invalid_request` on the OAuth endpoints, a
 * page in browser flows (never a redirect: nothing of the request was validated yet).
 */
export abstract class InputRejected extends AppError {
  readonly code = 'invalid_request';

  /** `path`: where in the input, e.g. `context.patientId` or `query.state`. */
  constructor(
    message: string,
    readonly path?: string,
  ) {
    super(message);
  }

  override issues(): IssueInput[] {
    return [{ code: this.issueType, diagnostics: this.message, ...(this.path ? { expression: [this.path] } : {}) }];
  }
}

/** 400, IssueType `structure`: the body is not parseable JSON (RFC 8259). */
export class MalformedJson extends InputRejected {
  readonly status = 400;
  readonly issueType: IssueCode = 'structure';
  constructor() {
    super('request body is not valid JSON');
  }
}

/** 4xx, IssueType `structure`: the body could not be read (unsupported charset or encoding, aborted upload). */
export class UnreadableBody extends InputRejected {
  readonly issueType: IssueCode = 'structure';
  constructor(readonly status: number) {
    super('request body could not be read');
  }
}

/** 413 Content Too Large (RFC 9110 §15.5.14), IssueType `too-long`: over a configured request size bound. */
export class ContentTooLarge extends InputRejected {
  readonly status = 413;
  readonly issueType: IssueCode = 'too-long';
}

/** 400, IssueType `invalid`: text no database can store (NUL, an unpaired surrogate). */
export class MalformedInput extends InputRejected {
  readonly status = 400;
  readonly issueType: IssueCode = 'invalid';
}

/** `$.a[0].b` below `prefix` (`` for a body, `query`, `params`): `a[0].b`, `query.a[0].b`. */
function below(prefix: string, path: string): string {
  const rest = path.replace(/^\$\.?/, '');
  if (!prefix) return rest || '$';
  return rest ? `${prefix}${rest.startsWith('[') ? '' : '.'}${rest}` : prefix;
}

/** The error an input problem is answered with. */
export function rejectionFor(problem: InputProblem, prefix: string): InputRejected {
  const path = below(prefix, problem.path);
  const message = `${path} ${problem.message}`;
  return problem.kind === 'too-large' ? new ContentTooLarge(message, path) : new MalformedInput(message, path);
}

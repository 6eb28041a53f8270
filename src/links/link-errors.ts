import { AppError } from '../http/app-error.js';
import type { IssueCode } from '../http/operation-outcome.js';

/**
 * A click-through or feedback URL that cannot be honoured. Browsers see a page titled `title`;
 * signed feedback URLs answer like the CDS endpoints, with an OperationOutcome of IssueType `code`.
 */
export abstract class LinkError extends AppError {
  abstract override readonly code: IssueCode;
  /** The heading of the page a browser is shown. */
  abstract readonly title: string;
  get issueType(): IssueCode {
    return this.code;
  }
}

/** A click-through or feedback URL that was tampered with, is unknown, or names an unregistered app. */
export class LinkForbidden extends LinkError {
  readonly code = 'forbidden';
  readonly status = 403;
  readonly title = 'Link not valid';
  /** Why it was refused, for the log only: the page never says. */
  constructor(readonly reason: string) {
    super('This link is not valid.');
  }
}

/** A click-through or feedback URL past its expiry (or whose card context has expired). */
export class LinkGone extends LinkError {
  readonly code = 'expired';
  readonly status = 410;
  readonly title = 'Link expired';
  constructor() {
    super('This link has expired. Open the patient chart again to get current guidance.');
  }
}

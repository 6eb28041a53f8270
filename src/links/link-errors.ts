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

/**
 * A click by a signed-in user who is not the one the hook named (CDS Hooks §userId): the launch would carry
 * that clinician's identity, so nobody else gets it.
 */
export class LinkWrongUser extends LinkError {
  readonly code = 'forbidden';
  readonly status = 403;
  readonly title = 'Link issued to another user';
  constructor() {
    super('This link was issued to another clinician. Sign out, then sign in as the clinician the card was shown to, or open the patient chart yourself.');
  }
}

/** A click past the link's bound of launches (`links.maxLaunches`). */
export class LinkUsedUp extends LinkError {
  readonly code = 'forbidden';
  readonly status = 403;
  readonly title = 'Link already used';
  constructor() {
    super('This link has been opened as often as it may be. Open the patient chart again to get a new one.');
  }
}

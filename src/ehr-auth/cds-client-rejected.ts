import { AppError } from '../http/app-error.js';
import type { JwtCheckName } from './jwt-checks.js';

/** A CDS client JWT failed `check`; the check name is logged, never returned to the caller. */
export class CdsClientRejected extends Error {
  constructor(readonly check: JwtCheckName) {
    super(`CDS client JWT failed check ${check}`);
    this.name = 'CdsClientRejected';
  }
}

/**
 * §Trusting CDS Clients: on failure "401 with no detail". Every refusal is this one error, shown
 * without its message, so the response cannot tell an attacker which check failed (N9).
 */
export class CdsClientUnauthorized extends AppError {
  readonly code = 'login';
  readonly status = 401;
  readonly issueType = 'login';
  constructor() {
    super('CDS client authentication failed');
  }
  override get expose(): boolean {
    return false;
  }
}

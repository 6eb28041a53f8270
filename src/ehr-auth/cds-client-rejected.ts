import { UnauthorizedException } from '@nestjs/common';
import type { JwtCheckName } from './jwt-checks.js';

/** A CDS client JWT failed `check`; the check name is logged, never returned to the caller. */
export class CdsClientRejected extends Error {
  constructor(readonly check: JwtCheckName) {
    super(`CDS client JWT failed check ${check}`);
    this.name = 'CdsClientRejected';
  }
}

/**
 * §Trusting CDS Clients: on failure "401 with no detail". Every refusal has this one body, so the
 * response cannot tell an attacker which check failed (N9).
 */
export class CdsClientUnauthorized extends UnauthorizedException {
  constructor() {
    super({ resourceType: 'OperationOutcome', issue: [{ severity: 'error', code: 'login' }] });
  }
}

import { CdsError } from '../cds/cds-errors.js';

/** 403: a console call from another origin (a page trying to make the demo EHR sign for it). */
export class ConsoleForbidden extends CdsError {
  readonly code = 'forbidden';
  readonly status = 403;
  constructor() {
    super('The demo console answers its own page only.');
  }
}

/** 502: the demo EHR could not reach this server at PUBLIC_URL (RFC 9110 §15.6.3, bad gateway); a retry may help. */
export class DemoEhrUnreachable extends CdsError {
  readonly code = 'transient';
  readonly status = 502;
  constructor(url: string, reason: string) {
    super(`The demo EHR could not call ${url}: ${reason}. PUBLIC_URL must be reachable from this server.`);
  }
  override get expose(): boolean {
    return true;
  }
}

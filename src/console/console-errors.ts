import { AppError } from '../http/app-error.js';

/** A console call from another origin (a page trying to make the demo EHR sign for it): refused. */
export class ConsoleForbidden extends AppError {
  readonly code = 'forbidden';
  readonly status = 403;
  readonly issueType = 'forbidden';
  constructor() {
    super('The demo console answers its own page only.');
  }
}

/** The demo EHR could not reach this server at PUBLIC_URL (RFC 9110 §15.6.3: a bad gateway). */
export class DemoEhrUnreachable extends AppError {
  readonly code = 'transient';
  readonly status = 502;
  readonly issueType = 'transient';
  constructor(url: string, reason: string) {
    super(`The demo EHR could not call ${url}: ${reason}. PUBLIC_URL must be reachable from this server.`);
  }
  override get expose(): boolean {
    return true;
  }
}

/** An unknown console file. */
export class ConsoleNotFound extends AppError {
  readonly code = 'not-found';
  readonly status = 404;
  readonly issueType = 'not-found';
  constructor() {
    super('Not found.');
  }
}

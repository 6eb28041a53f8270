import { TemporarilyUnavailable } from '../http/app-error.js';

/**
 * SQLSTATEs (PostgreSQL Appendix A) that say the server is away or overloaded, not that the
 * statement is wrong: class 08 connection exception, class 53 insufficient resources (disk full,
 * too many connections), 57014 query_canceled (our statement_timeout), 57P01 admin_shutdown
 * (`pg_terminate_backend`, `pg_ctl stop -m fast`), 57P02 crash_shutdown, 57P03 cannot_connect_now
 * (starting up or shutting down), 57P05 idle_session_timeout.
 */
const UNAVAILABLE_SQLSTATE = /^(08[0-9A-Z]{3}|53[0-9A-Z]{3}|57014|57P0[1235])$/;

/** Socket errors of a server that cannot be reached or went away mid-conversation. */
const UNAVAILABLE_ERRNO = new Set(['ECONNREFUSED', 'ECONNRESET', 'EPIPE', 'ETIMEDOUT', 'EHOSTUNREACH', 'ENETUNREACH', 'ENOTFOUND', 'EAI_AGAIN']);

/**
 * What node-postgres throws, without a SQLSTATE, when a connection is lost, cannot be had in time
 * (connectionTimeoutMillis), or a query gets no answer in time (query_timeout: a frozen server never
 * enforces its own statement_timeout).
 */
const UNAVAILABLE_MESSAGE =
  /^(Connection terminated|timeout exceeded when trying to connect|Query read timeout|Client has encountered a connection error and is not queryable|Client was closed and is not queryable|Cannot use a pool after calling end on the pool)/;

/** Whether `e` means the database is unavailable for now (a retry may succeed), rather than a bad statement. */
export function isDatabaseUnavailable(e: unknown): boolean {
  if (!(e instanceof Error)) return false;
  const { code } = e as { code?: unknown };
  if (typeof code === 'string' && (UNAVAILABLE_SQLSTATE.test(code) || UNAVAILABLE_ERRNO.has(code))) return true;
  if (e instanceof AggregateError) return e.errors.some(isDatabaseUnavailable);
  return UNAVAILABLE_MESSAGE.test(e.message);
}

/**
 * Rethrows a database outage as TemporarilyUnavailable, which every transport answers with 503 in
 * its own shape (OperationOutcome `transient`, OAuth `temporarily_unavailable`); anything else as is.
 */
export function asUnavailable(e: unknown): unknown {
  return isDatabaseUnavailable(e) ? new TemporarilyUnavailable() : e;
}

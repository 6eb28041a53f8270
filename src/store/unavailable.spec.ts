import { TemporarilyUnavailable } from '../http/app-error.js';
import { asUnavailable, isDatabaseUnavailable } from './unavailable.js';

const sqlError = (code: string, message = 'x') => Object.assign(new Error(message), { code });

describe(isDatabaseUnavailable.name, () => {
  it.each([
    ['57P01 admin_shutdown (pg_terminate_backend, pg_ctl stop -m fast)', sqlError('57P01', 'terminating connection due to administrator command')],
    ['57P02 crash_shutdown', sqlError('57P02')],
    ['57P03 cannot_connect_now (the server is starting up)', sqlError('57P03', 'the database system is starting up')],
    ['57P05 idle_session_timeout', sqlError('57P05')],
    ['57014 query_canceled (statement_timeout)', sqlError('57014', 'canceling statement due to statement timeout')],
    ['08006 connection_failure', sqlError('08006')],
    ['53300 too_many_connections', sqlError('53300')],
    ['53100 disk_full', sqlError('53100')],
    ['ECONNREFUSED (server down)', sqlError('ECONNREFUSED', 'connect ECONNREFUSED 127.0.0.1:5432')],
    ['ECONNRESET', sqlError('ECONNRESET')],
    ['a refused connection to every address of a host', new AggregateError([sqlError('ECONNREFUSED')], '')],
    ['a connection lost mid-query', new Error('Connection terminated unexpectedly')],
    ['a connection that could not be had in time (frozen server)', new Error('Connection terminated due to connection timeout')],
    ['a saturated pool past connectionTimeoutMillis', new Error('timeout exceeded when trying to connect')],
    ['a query unanswered past query_timeout (frozen server)', new Error('Query read timeout')],
    ['a client whose connection broke', new Error('Client has encountered a connection error and is not queryable')],
    ['a pool closed by shutdown', new Error('Cannot use a pool after calling end on the pool')],
  ])('is unavailable: %s', (_, e) => {
    expect(isDatabaseUnavailable(e)).toBe(true);
  });

  it.each([
    ['23505 unique_violation (a replayed jti is the caller\'s fault)', sqlError('23505')],
    ['42P01 undefined_table', sqlError('42P01')],
    ['22P02 invalid_text_representation', sqlError('22P02')],
    ['57P04 database_dropped (not coming back by retrying)', sqlError('57P04')],
    ['an error of our own code', new TypeError('x is undefined')],
    ['a thrown non-error', 'boom'],
  ])('is not: %s', (_, e) => {
    expect(isDatabaseUnavailable(e)).toBe(false);
  });
});

describe(asUnavailable.name, () => {
  it('turns an outage into TemporarilyUnavailable (503 on every transport) and passes anything else through', () => {
    expect(asUnavailable(sqlError('57P01'))).toBeInstanceOf(TemporarilyUnavailable);
    const other = sqlError('23505');
    expect(asUnavailable(other)).toBe(other);
  });
});

import type { SessionConfig } from '../../config/config.schema.js';

/** What the lifetime checks read of a stored session. */
export interface SessionTimes {
  createdAt: Date;
  lastSeenAt: Date;
  endedAt: Date | null;
}

/** OIDC RP-Initiated Logout 1.0 §2: once the End-User logged out, the session is not used again. */
export function isEnded(s: SessionTimes): boolean {
  return s.endedAt !== null;
}

/** OWASP ASVS V3.3.2 / NIST SP 800-63B §7.2: an idle session ends after `idleSeconds` without use. */
export function isIdle(s: SessionTimes, now: Date, lifetimes: SessionConfig): boolean {
  return now.getTime() - s.lastSeenAt.getTime() >= lifetimes.idleSeconds * 1000;
}

/** NIST SP 800-63B §7.2: however active, a session ends `absoluteSeconds` after its sign-in. */
export function isPastAbsoluteLifetime(s: SessionTimes, now: Date, lifetimes: SessionConfig): boolean {
  return now.getTime() - s.createdAt.getTime() >= lifetimes.absoluteSeconds * 1000;
}

/** A session signs the browser in only while neither ended, idle nor past its absolute lifetime. */
export function isLive(s: SessionTimes, now: Date, lifetimes: SessionConfig): boolean {
  return !isEnded(s) && !isIdle(s, now, lifetimes) && !isPastAbsoluteLifetime(s, now, lifetimes);
}

/** The parts of an authorize request that say whether an existing session may answer it (OIDC Core §3.1.2.1). */
export interface SignInDemand {
  prompt?: string;
  maxAge?: string;
}

/** OIDC Core §3.1.2.1 `prompt=login`: the End-User must sign in again, whatever session exists. */
export function asksFreshSignIn(demand: SignInDemand): boolean {
  return (demand.prompt ?? '').split(' ').includes('login');
}

/**
 * OIDC Core §3.1.2.1 `max_age`: a sign-in older than that many seconds does not count; `max_age=0` is
 * always a fresh sign-in. A value that is not a whole number is ignored.
 */
export function isOlderThanMaxAge(s: SessionTimes, demand: SignInDemand, now: Date): boolean {
  if (demand.maxAge === undefined || !/^\d{1,9}$/.test(demand.maxAge)) return false;
  return now.getTime() - s.createdAt.getTime() >= Number(demand.maxAge) * 1000;
}

/**
 * Whether the browser's session answers this request without a sign-in page. A step-up override never
 * asks this: `reauthenticate` always takes the password (RFC 9470 §3 `max_age=0`).
 */
export function sessionAnswers(s: SessionTimes, demand: SignInDemand, now: Date, lifetimes: SessionConfig): boolean {
  return isLive(s, now, lifetimes) && !asksFreshSignIn(demand) && !isOlderThanMaxAge(s, demand, now);
}

import { asksFreshSignIn, isEnded, isIdle, isLive, isOlderThanMaxAge, isPastAbsoluteLifetime, sessionAnswers } from './session-checks.js';

const lifetimes = { idleSeconds: 1800, absoluteSeconds: 8 * 3600 };
const signedIn = new Date('2026-12-02T08:00:00Z');
const at = (seconds: number) => new Date(signedIn.getTime() + seconds * 1000);
const session = (lastSeen = 0, endedAt: Date | null = null) => ({ createdAt: signedIn, lastSeenAt: at(lastSeen), endedAt });

describe('authorization-server session lifetimes (frozen clock)', () => {
  it('a session that was logged out is ended; one that was not is not', () => {
    expect(isEnded(session(0, at(10)))).toBe(true);
    expect(isEnded(session())).toBe(false);
  });

  it('is idle exactly idleSeconds after its last use, not a second before', () => {
    expect(isIdle(session(600), at(600 + 1799), lifetimes)).toBe(false);
    expect(isIdle(session(600), at(600 + 1800), lifetimes)).toBe(true);
  });

  it('is past its absolute lifetime absoluteSeconds after sign-in, however recently used', () => {
    expect(isPastAbsoluteLifetime(session(8 * 3600 - 5), at(8 * 3600 - 1), lifetimes)).toBe(false);
    expect(isPastAbsoluteLifetime(session(8 * 3600 - 5), at(8 * 3600), lifetimes)).toBe(true);
  });

  it('is live only when none of the three applies', () => {
    expect(isLive(session(100), at(200), lifetimes)).toBe(true);
    expect(isLive(session(100, at(150)), at(200), lifetimes)).toBe(false);
    expect(isLive(session(100), at(100 + 1800), lifetimes)).toBe(false);
    expect(isLive(session(8 * 3600 - 10), at(8 * 3600), lifetimes)).toBe(false);
  });
});

describe('whether a session answers an authorize request (OIDC Core §3.1.2.1)', () => {
  it('prompt=login asks a fresh sign-in, alone or among other values; other prompts do not', () => {
    expect(asksFreshSignIn({ prompt: 'login' })).toBe(true);
    expect(asksFreshSignIn({ prompt: 'consent login' })).toBe(true);
    expect(asksFreshSignIn({ prompt: 'consent' })).toBe(false);
    expect(asksFreshSignIn({})).toBe(false);
  });

  it('max_age counts from the sign-in: 0 is always too old, a malformed value is ignored', () => {
    expect(isOlderThanMaxAge(session(), { maxAge: '0' }, at(0))).toBe(true);
    expect(isOlderThanMaxAge(session(), { maxAge: '300' }, at(299))).toBe(false);
    expect(isOlderThanMaxAge(session(), { maxAge: '300' }, at(300))).toBe(true);
    expect(isOlderThanMaxAge(session(), { maxAge: '-1' }, at(9999))).toBe(false);
    expect(isOlderThanMaxAge(session(), {}, at(9999))).toBe(false);
  });

  it('a live session answers a plain request, but not prompt=login, an exceeded max_age, or once idle', () => {
    expect(sessionAnswers(session(10), {}, at(20), lifetimes)).toBe(true);
    expect(sessionAnswers(session(10), { prompt: 'login' }, at(20), lifetimes)).toBe(false);
    expect(sessionAnswers(session(10), { maxAge: '15' }, at(20), lifetimes)).toBe(false);
    expect(sessionAnswers(session(10), {}, at(10 + 1800), lifetimes)).toBe(false);
  });
});

import { TooManyAttempts } from './oauth-errors.js';
import { afterFailure, LoginThrottle, PER_ACCOUNT, retryAfterSeconds, signInKeys } from './login-throttle.js';

// Issue 10.10: throttle per account and per address, 429 with Retry-After (RFC 6585 §4).
describe('login throttle', () => {
  const policy = { free: 2, baseDelaySeconds: 2, maxDelaySeconds: 10, windowSeconds: 60 };

  it('the free failures need no wait; each further one doubles it, up to the maximum', () => {
    let record = afterFailure(undefined, 0, policy);
    expect(retryAfterSeconds(record, 0, policy)).toBe(0);
    record = afterFailure(record, 0, policy);
    expect(retryAfterSeconds(record, 0, policy)).toBe(0);
    record = afterFailure(record, 0, policy);
    expect(retryAfterSeconds(record, 0, policy)).toBe(2);
    record = afterFailure(record, 0, policy);
    expect(retryAfterSeconds(record, 0, policy)).toBe(4);
    for (let i = 0; i < 5; i++) record = afterFailure(record, 0, policy);
    expect(retryAfterSeconds(record, 0, policy)).toBe(10);
  });

  it('the wait runs from the last failure, and failures are forgotten after the window', () => {
    const record = { failures: 4, lastFailureMs: 1000 };
    expect(retryAfterSeconds(record, 2500, policy)).toBe(3);
    expect(retryAfterSeconds(record, 5000, policy)).toBe(0);
    expect(retryAfterSeconds(record, 61_000, policy)).toBe(0);
    expect(afterFailure(record, 61_000, policy)).toEqual({ failures: 1, lastFailureMs: 61_000 });
  });

  it('refuses with TooManyAttempts (429, Retry-After) once a key must wait, frozen clock', () => {
    vi.useFakeTimers({ toFake: ['Date'], now: 0 });
    try {
      const throttle = new LoginThrottle();
      const keys = signInKeys('dr.demo', '10.0.0.1');
      for (let i = 0; i <= PER_ACCOUNT.free; i++) {
        expect(() => throttle.check(keys)).not.toThrow();
        throttle.fail(keys);
      }
      let error: unknown;
      try {
        throttle.check(keys);
      } catch (e) {
        error = e;
      }
      expect(error).toBeInstanceOf(TooManyAttempts);
      expect({ status: (error as TooManyAttempts).status, retryAfter: (error as TooManyAttempts).retryAfterSeconds }).toEqual({ status: 429, retryAfter: 2 });
      vi.setSystemTime(2000);
      expect(() => throttle.check(keys)).not.toThrow();
    } finally {
      vi.useRealTimers();
    }
  });

  it('a success forgets the account’s failures but not the address’s', () => {
    const throttle = new LoginThrottle();
    const keys = signInKeys('dr.demo', '10.0.0.1');
    for (let i = 0; i < 30; i++) throttle.fail(keys);
    throttle.succeed(keys[0]!.key);
    expect(() => throttle.check([keys[0]!])).not.toThrow();
    expect(() => throttle.check([keys[1]!])).toThrow(TooManyAttempts);
  });
});

import { Injectable } from '@nestjs/common';
import { emit } from '../http/telemetry.js';
import { LoginThrottle, signInKeys } from './login-throttle.js';
import { hashPassword, verifyPassword } from './passwords.js';
import { randomToken } from './secrets.js';

/** The password check of every local sign-in: the authorize login step, the step-up override, the sign-in page. */
@Injectable()
export class PasswordSignIn {
  constructor(private readonly throttle: LoginThrottle) {}

  /**
   * Throttled per account and per address before any scrypt runs (429 with Retry-After). An unknown account
   * costs the same scrypt as a known one, so timing does not reveal names.
   */
  async matches(account: string, hash: string | undefined, password: unknown, address: string | undefined): Promise<boolean> {
    const keys = signInKeys(account, address);
    try {
      this.throttle.check(keys);
    } catch (e) {
      emit('smart.login-failure', { reason: 'throttled' });
      throw e;
    }
    const ok = await verifyPassword(typeof password === 'string' ? password : '', hash ?? (await unknownUserHash()));
    if (!ok || hash === undefined) {
      this.throttle.fail(keys);
      emit('smart.login-failure', { reason: 'credentials' });
      return false;
    }
    this.throttle.succeed(keys[0].key);
    return true;
  }
}

let dummyHash: Promise<string> | undefined;
/** A hash of nothing anyone knows, made once and off the event loop (async scrypt). */
function unknownUserHash(): Promise<string> {
  dummyHash ??= hashPassword(randomToken());
  return dummyHash;
}

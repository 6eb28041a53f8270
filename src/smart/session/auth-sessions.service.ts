import { Inject, Injectable } from '@nestjs/common';
import { APP_CONFIG, type AppConfig } from '../../config/app-config.js';
import { randomToken, sha256Hex } from '../secrets.js';
import { type SignInDemand, sessionAnswers } from './session-checks.js';
import { SessionsRepository } from './sessions.repository.js';

/** The session a browser's cookie names, when it answers the request. */
export interface SignedIn {
  fhirUser: string;
  /** When the user signed in (OIDC Core §2 `auth_time`). */
  authTime: Date;
}

/**
 * The authorization server's sign-in sessions: opened by a sign-in (local password or upstream provider),
 * answered by the cookie on later authorize requests and card-link clicks, ended by logout or by the idle
 * and absolute lifetimes of the configuration.
 */
@Injectable()
export class AuthSessions {
  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(SessionsRepository) private readonly sessions: SessionsRepository,
  ) {}

  /** A new session for `fhirUser`; returns the cookie's value. */
  async open(fhirUser: string, method: string, now = new Date()): Promise<string> {
    const token = randomToken();
    await this.sessions.insert(sha256Hex(token), fhirUser, method, now);
    return token;
  }

  /** Who the cookie's session signs in, if it answers `demand` at `now`; each use restarts the idle time. */
  async signedIn(token: string | undefined, demand: SignInDemand = {}, now = new Date()): Promise<SignedIn | undefined> {
    if (!token) return undefined;
    const idHash = sha256Hex(token);
    const session = await this.sessions.find(idHash);
    if (!session || !sessionAnswers(session, demand, now, this.config.session)) return undefined;
    await this.sessions.touch(idHash, now);
    return { fhirUser: session.fhirUser, authTime: session.createdAt };
  }

  async end(token: string | undefined, now = new Date()): Promise<void> {
    if (token) await this.sessions.end(sha256Hex(token), now);
  }

  /** Rows no session check can accept any more. */
  async purge(now: Date): Promise<void> {
    await this.sessions.purge(new Date(now.getTime() - this.config.session.absoluteSeconds * 1000));
  }
}

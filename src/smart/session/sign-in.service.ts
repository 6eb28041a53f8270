import { Inject, Injectable } from '@nestjs/common';
import { APP_CONFIG, type AppConfig } from '../../config/app-config.js';
import { CsrfRejected } from '../oauth-errors.js';
import { PasswordSignIn } from '../password-sign-in.js';
import { randomToken, sha256Hex } from '../secrets.js';
import { AuthSessions } from './auth-sessions.service.js';
import { signInPage } from './sign-in-pages.js';
import { SignInsRepository } from './sign-ins.repository.js';
import { SignInRefused } from './sign-in-errors.js';
import { UpstreamSignIn } from './upstream-sign-in.js';

/** How long a user may take to sign in (including a round trip to an upstream provider). */
const SIGN_IN_SECONDS = 600;

/** After a sign-in: the new session's cookie value and the path of this server the browser continues to. */
export type SignInOutcome = { session: string; continueTo: string } | { retry: true };

/**
 * The sign-in page in front of anything that needs a signed-in user (a card-link launch): a sign-in is a
 * server-side row named by a cookie, its form carries a single-use CSRF token (RFC 6749 §10.12), and where
 * the browser continues is stored with it, never taken from the request (RFC 9700 §4.11: no open redirector).
 */
@Injectable()
export class SignInService {
  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(SignInsRepository) private readonly signIns: SignInsRepository,
    private readonly sessions: AuthSessions,
    private readonly passwords: PasswordSignIn,
    private readonly upstream: UpstreamSignIn,
  ) {}

  /** A sign-in that continues at `continueTo` (a path under /auth of this server); returns the cookie's value. */
  async begin(continueTo: string, now = new Date()): Promise<string> {
    const id = randomToken();
    await this.signIns.insert(sha256Hex(id), continueTo, new Date(now.getTime() + SIGN_IN_SECONDS * 1000));
    return id;
  }

  /** The sign-in page with a fresh CSRF token; `retry` says the last attempt failed. */
  async page(id: string | undefined, retry = false): Promise<string> {
    await this.open(id);
    const csrf = randomToken();
    await this.signIns.setCsrf(sha256Hex(id ?? ''), sha256Hex(csrf));
    const providers = this.config.identityProviders.map((p) => ({ id: p.id, displayName: p.displayName }));
    return signInPage(csrf, { local: this.config.users.length > 0, providers, error: retry ? 'Wrong user name or password.' : undefined });
  }

  /** A local account's sign-in: a session for its fhirUser, then on to where the sign-in began. */
  async submitPassword(id: string | undefined, form: Record<string, unknown>, address?: string): Promise<SignInOutcome> {
    const row = await this.consume(id, form);
    const username = typeof form.username === 'string' ? form.username : '';
    const user = this.config.users.find((u) => u.username === username);
    if (!(await this.passwords.matches(username, user?.passwordHash, form.password, address))) return { retry: true };
    return this.complete(id ?? '', user!.fhirUser, 'password', row.continueTo);
  }

  /** The button of an upstream provider: where to send the browser, with state, nonce and PKCE kept for the callback. */
  async startUpstream(id: string | undefined, form: Record<string, unknown>): Promise<string> {
    await this.consume(id, form);
    const provider = this.upstream.provider(form.provider);
    if (!provider) throw new SignInRefused('That sign-in provider is not configured.');
    const { url, upstream } = await this.upstream.start(provider);
    await this.signIns.setUpstream(sha256Hex(id ?? ''), upstream);
    return url;
  }

  /** The provider's answer (OIDC Core §3.1.2.5): validated, mapped to a user of this server, then a session. */
  async finishUpstream(id: string | undefined, callbackUrl: URL): Promise<SignInOutcome> {
    const row = await this.open(id);
    if (!row.upstream) throw new CsrfRejected();
    const { fhirUser, issuer } = await this.upstream.finish(row.upstream, callbackUrl);
    return this.complete(id ?? '', fhirUser, issuer, row.continueTo);
  }

  private async complete(id: string, fhirUser: string, method: string, continueTo: string): Promise<SignInOutcome> {
    if (!(await this.signIns.finish(sha256Hex(id), new Date()))) throw new CsrfRejected();
    return { session: await this.sessions.open(fhirUser, method), continueTo };
  }

  private async open(id: string | undefined) {
    const row = await this.signIns.findOpen(sha256Hex(id ?? ''), new Date());
    if (!row) throw new CsrfRejected();
    return row;
  }

  /** The form's CSRF token must be the sign-in's current one; it is used up whether or not the sign-in succeeds. */
  private async consume(id: string | undefined, form: Record<string, unknown>) {
    const row = await this.open(id);
    const csrf = typeof form.csrf === 'string' ? form.csrf : '';
    if (!(await this.signIns.consumeCsrf(sha256Hex(id ?? ''), sha256Hex(csrf)))) throw new CsrfRejected();
    return row;
  }

  async purge(now: Date): Promise<void> {
    await this.signIns.purgeExpired(now);
  }
}

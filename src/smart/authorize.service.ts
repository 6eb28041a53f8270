import { Inject, Injectable } from '@nestjs/common';
import { APP_CONFIG, type AppConfig, type SmartClientConfig } from '../config/app-config.js';
import {
  AuthorizationTransactionsRepository,
  type InteractionStep as Step,
  type StoredAuthorizeRequest as StoredRequest,
} from './authorization-transactions.repository.js';
import { type AuthorizeParams, AuthorizeRedirectError, redirectWith, validateAuthorizeRequest } from './authorize-checks.js';
import { type Grant, type GrantContext, GrantStore } from './grant-store.js';
import { grantScopes, isScopeSubset, scopeWords } from './grant-scopes.js';
import { LaunchService } from './launch.service.js';
import { AccessDenied, CsrfRejected, InvalidRequest, InvalidScope, OAuthError } from './oauth-errors.js';
import { param } from './oauth-params.js';
import { checkRequestClient, checkSameCall, grantedDetails, parseAuthorizationDetails } from './override/override-checks.js';
import { InvalidAuthorizationDetails } from './override/override-errors.js';
import { OverrideRequests } from './override/override-requests.js';
import { ACR_VALUES, highestLevel, type OverrideLevel, type OverrideRequestClaims } from './override/override-types.js';
import { type OverrideEvent, OverridesRepository } from './override/overrides.repository.js';
import { consentPage, loginPage, overridePage, patientPage } from './pages.js';
import { PasswordSignIn } from './password-sign-in.js';
import { AuthSessions, type SignedIn } from './session/auth-sessions.service.js';
import { DEMO_PARTITION, PATIENT_DIRECTORY, type PatientDirectory } from './patient-directory.js';
import { randomToken, sha256Hex } from './secrets.js';
import { smartUrls } from './smart-urls.js';

/** How long a user may take through login, patient choice and consent. */
const TRANSACTION_SECONDS = 600;

interface Transaction {
  request: StoredRequest;
  step: Step;
  userId: string | null;
  patientId: string | null;
}

/** Where the browser goes next: back to the client, or to the interaction page of a transaction. */
export type AuthorizeOutcome = ({ redirect: string } | { transaction: string; retry?: boolean }) & {
  /** A sign-in on the login step opened this session: its cookie value. */
  session?: string;
};

/** A page to render for the current interaction step. */
export interface InteractionPage {
  html: string;
}

/**
 * The authorization endpoint (SMART app-launch.md steps 3–4): validates the request, redeems the
 * EHR launch, runs login → patient choice → consent as a server-side transaction, and issues the
 * code. Every interaction POST must carry the transaction's current CSRF token, which is single
 * use (RFC 6749 §10.12).
 */
@Injectable()
export class AuthorizeService {
  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(AuthorizationTransactionsRepository) private readonly transactions: AuthorizationTransactionsRepository,
    private readonly launches: LaunchService,
    private readonly grants: GrantStore,
    @Inject(PATIENT_DIRECTORY) private readonly patients: PatientDirectory,
    private readonly overrideRequests: OverrideRequests,
    @Inject(OverridesRepository) private readonly overrides: OverridesRepository,
    private readonly passwords: PasswordSignIn,
    private readonly sessions: AuthSessions,
  ) {}

  /** `sessionToken`: the browser's sign-in session cookie, which answers the login step when it may (OIDC Core §3.1.2.3). */
  async start(params: AuthorizeParams, sessionToken?: string): Promise<AuthorizeOutcome> {
    const req = validateAuthorizeRequest(params, this.config.smartClients, smartUrls(this.config).fhirBase);
    // RFC 9700 §2.1.1 (A18): a code_challenge seen before means a constant or replayed verifier.
    if (await this.grants.challengeSeen(req.codeChallenge)) {
      throw new AuthorizeRedirectError(req.redirectUri, req.state, new InvalidRequest('code_challenge was already used'));
    }
    const stored: StoredRequest = {
      clientId: req.client.clientId,
      redirectUri: req.redirectUri,
      state: req.state,
      scope: req.scope,
      codeChallenge: req.codeChallenge,
      nonce: req.nonce,
    };
    const details = param(params, 'authorization_details');
    if (details !== undefined) return this.startOverride(req.launch, stored, details);
    if (req.launch === undefined) return this.startLogin(stored, await this.sessions.signedIn(sessionToken, { prompt: param(params, 'prompt'), maxAge: param(params, 'max_age') }));

    // SMART app-launch.md: the launch "must match"; ours is bound to client and aud, single use (A8).
    const binding = await this.launches.consume(req.launch, req.client.clientId, req.aud);
    if (!binding) throw new AuthorizeRedirectError(req.redirectUri, req.state, new InvalidRequest('launch is unknown, expired or already used'));
    stored.launch = binding;
    if (req.client.autoApprove) return { redirect: await this.issueCode(stored, binding.userId, binding.patientId) };
    return { transaction: await this.createTransaction(stored, 'consent', binding.userId, binding.patientId) };
  }

  /** Renders the current step with a fresh CSRF token; `retry` shows that the last attempt failed. */
  async page(transactionId: string | undefined, retry = false): Promise<InteractionPage> {
    const tx = await this.load(transactionId);
    const csrf = randomToken();
    await this.transactions.setCsrf(sha256Hex(transactionId ?? ''), sha256Hex(csrf));
    const client = this.client(tx.request.clientId);
    if (tx.step === 'login') return { html: loginPage(csrf, client.name, retry ? 'Wrong user name or password.' : undefined) };
    if (tx.step === 'patient') return { html: patientPage(csrf, await this.patients.list()) };
    if (tx.step === 'override') return { html: await this.overridePageFor(tx, csrf, client, retry) };
    return { html: consentPage(csrf, client.name, this.scopeFor(tx.request, tx.patientId)) };
  }

  async submit(transactionId: string | undefined, form: Record<string, unknown>, address?: string): Promise<AuthorizeOutcome> {
    const id = transactionId ?? '';
    const tx = await this.load(transactionId);
    // Single-use CSRF token bound to this transaction (A13): consumed whether or not the step succeeds.
    const csrf = typeof form.csrf === 'string' ? form.csrf : '';
    const consumed = await this.transactions.consumeCsrf(sha256Hex(id), sha256Hex(csrf));
    if (!consumed || form.step !== tx.step) throw new CsrfRejected();
    const client = this.client(tx.request.clientId);

    if (tx.step === 'login') {
      const username = typeof form.username === 'string' ? form.username : '';
      const user = this.config.users.find((u) => u.username === username);
      if (!(await this.passwords.matches(username, user?.passwordHash, form.password, address))) return { transaction: id, retry: true };
      const session = await this.sessions.open(user!.fhirUser, 'password');
      return { ...(await this.advance(id, tx, client, user!.fhirUser, tx.patientId)), session };
    }
    if (tx.step === 'override') return this.submitOverride(id, tx, form, address);
    if (tx.step === 'patient') {
      const patient = typeof form.patient === 'string' ? form.patient : '';
      if (!(await this.patients.exists(patient))) return { transaction: id, retry: true };
      return this.advance(id, tx, client, tx.userId, patient);
    }
    await this.finish(id);
    // RFC 6749 §4.1.2.1 / A17: a denial goes back to the (registered) redirect_uri as access_denied.
    if (form.decision !== 'approve') throw new AuthorizeRedirectError(tx.request.redirectUri, tx.request.state, new AccessDenied('the user denied access'));
    return { redirect: await this.issueCode(tx.request, tx.userId ?? '', tx.patientId, withheld(form.withhold)) };
  }

  /** A standalone launch: the login step, or straight past it for the user the browser's session signs in. */
  private async startLogin(stored: StoredRequest, signedIn: SignedIn | undefined): Promise<AuthorizeOutcome> {
    const id = await this.createTransaction(stored, 'login', null, null);
    if (!signedIn) return { transaction: id };
    const tx: Transaction = { request: stored, step: 'login', userId: null, patientId: null };
    return this.advance(id, tx, this.client(stored.clientId), signedIn.fhirUser, null);
  }

  /**
   * DESIGN.md "Authorization": an authorization request with `authorization_details` of type
   * hookwarden-override (RFC 9396 §2) asks the user to authorize one refused call. Each override-request
   * token must be ours, unexpired, issued to this client and not yet used (RFC 9396 §5
   * `invalid_authorization_details`), name one call, and come from a live grant of this client whose scope
   * covers what is asked (RFC 6749 §3.3).
   */
  private async startOverride(launch: string | undefined, stored: StoredRequest, raw: string): Promise<AuthorizeOutcome> {
    try {
      if (launch !== undefined) throw new InvalidRequest('an override request carries no launch');
      const requests: OverrideRequestClaims[] = [];
      for (const token of parseAuthorizationDetails(raw)) {
        const claims = await this.overrideRequests.verify(token);
        if (claims === undefined) throw new InvalidAuthorizationDetails('override_request is not valid or has expired');
        checkRequestClient(claims, stored.clientId);
        if (await this.overrides.requestUsed(claims.jti)) throw new InvalidAuthorizationDetails('override_request was already used');
        requests.push(claims);
      }
      checkSameCall(requests);
      const base = await this.liveGrant(requests[0].grant, stored.clientId);
      if (!isScopeSubset(stored.scope, base.context.scope)) throw new InvalidScope('scope exceeds the grant the override is for');
      stored.override = { requests, baseGrant: base.id };
      await this.overrides.record(requests.map((r) => overrideEvent('requested', r, base)), new Date());
      return { transaction: await this.createTransaction(stored, 'override', requests[0].sub, requests[0].patient ?? null) };
    } catch (e) {
      if (e instanceof OAuthError && e.allowRedirect) throw new AuthorizeRedirectError(stored.redirectUri, stored.state, e);
      throw e;
    }
  }

  private async liveGrant(id: string, clientId: string): Promise<Grant> {
    const grant = await this.grants.grant(id);
    if (!grant || grant.revoked || grant.clientId !== clientId) throw new InvalidAuthorizationDetails('the authorization the override request belongs to is no longer valid');
    return grant;
  }

  private async overridePageFor(tx: Transaction, csrf: string, client: SmartClientConfig, retry: boolean): Promise<string> {
    const { requests, baseGrant } = tx.request.override!;
    const [first] = requests;
    const base = await this.liveGrant(baseGrant, tx.request.clientId);
    const patientName = first.patient === undefined ? undefined : await this.patients.name(base.context.partition, first.patient);
    return overridePage(csrf, {
      clientName: client.name,
      userName: this.config.users.find((u) => u.fhirUser === first.sub)?.username ?? first.sub,
      patientName: patientName ?? (first.patient === undefined ? 'No patient' : `Patient ${first.patient}`),
      action: describeAction(first.htm, first.htu),
      reasons: requests.map((r) => r.reason),
      level: overrideLevel(requests),
      error: retry ? 'That password is not right. Try again, or cancel.' : undefined,
    });
  }

  /**
   * `confirm`: the Authorize button. `reauthenticate`: the password of the user the override is for, always
   * asked (RFC 9470 §3 `max_age=0`), wrong ones throttled. Cancel (or anything but Authorize) is
   * `access_denied` back to the client (RFC 6749 §4.1.2.1).
   */
  private async submitOverride(id: string, tx: Transaction, form: Record<string, unknown>, address: string | undefined): Promise<AuthorizeOutcome> {
    const { requests, baseGrant } = tx.request.override!;
    const base = await this.liveGrant(baseGrant, tx.request.clientId);
    const level = overrideLevel(requests);
    if (form.decision !== 'authorize') {
      await this.finish(id);
      await this.overrides.record(requests.map((r) => overrideEvent('denied', r, base)), new Date());
      throw new AuthorizeRedirectError(tx.request.redirectUri, tx.request.state, new AccessDenied('the user did not authorize the override'));
    }
    if (level === 'reauthenticate') {
      const user = this.config.users.find((u) => u.fhirUser === requests[0].sub);
      if (!(await this.passwords.matches(user?.username ?? requests[0].sub, user?.passwordHash, form.password, address))) return { transaction: id, retry: true };
    }
    await this.finish(id);
    await this.overrides.record(requests.map((r) => overrideEvent('approved', r, base)), new Date());
    return { redirect: await this.issueOverrideCode(tx.request, base, requests, level) };
  }

  /**
   * The override grant: the base grant's context (partition, patient, service) with the asked scope and the
   * granted authorization details (RFC 9396 §7), `acr` and `auth_time` (RFC 9470 §3), then a code as usual.
   */
  private async issueOverrideCode(req: StoredRequest, base: Grant, requests: OverrideRequestClaims[], level: OverrideLevel): Promise<string> {
    const context: GrantContext = {
      ...base.context,
      scope: scopeWords(req.scope).join(' '),
      nonce: req.nonce,
      override: {
        details: grantedDetails(requests),
        acr: ACR_VALUES[level],
        authTime: Math.floor(Date.now() / 1000),
        sub: requests[0].sub,
        baseGrant: base.id,
      },
    };
    const grantId = await this.grants.createGrant(req.clientId, context);
    const { issuer } = smartUrls(this.config);
    const code = await this.grants.createCode(grantId, req.clientId, req.redirectUri, req.codeChallenge, issuer, this.config.lifetimes.code);
    return redirectWith(req.redirectUri, { code, state: req.state, iss: issuer });
  }

  private async advance(id: string, tx: Transaction, client: SmartClientConfig, userId: string | null, patientId: string | null): Promise<AuthorizeOutcome> {
    const needsPatient = patientId === null && wantsPatient(tx.request.scope);
    const next: Step | 'done' = needsPatient ? 'patient' : client.autoApprove ? 'done' : 'consent';
    if (next === 'done') {
      await this.finish(id);
      return { redirect: await this.issueCode(tx.request, userId ?? '', patientId) };
    }
    await this.transactions.advance(sha256Hex(id), next, userId, patientId);
    return { transaction: id };
  }

  private scopeFor(req: StoredRequest, patientId: string | null): string {
    return grantScopes({
      requested: req.scope,
      registered: this.client(req.clientId).scope,
      ceiling: req.launch?.scopeCeiling,
      patientId: patientId ?? undefined,
    });
  }

  /** RFC 6749 §4.1.2: a short-lived, single-use code bound to client, redirect_uri and PKCE challenge. */
  private async issueCode(req: StoredRequest, userId: string, patientId: string | null, withhold: readonly string[] = []): Promise<string> {
    const launch = req.launch;
    const context: GrantContext = {
      scope: scopeWords(this.scopeFor(req, patientId))
        .filter((s) => !withhold.includes(s))
        .join(' '),
      kind: launch ? 'ehr' : 'standalone',
      fhirUser: userId,
      patient: patientId ?? undefined,
      encounter: launch?.encounterId,
      fhirContext: launch?.fhirContext,
      appContext: launch?.appContext,
      needPatientBanner: true,
      nonce: req.nonce,
      partition: launch?.hookInstance ?? DEMO_PARTITION,
      serviceId: launch?.serviceId,
      hookInstance: launch?.hookInstance,
      cardUuid: launch?.cardUuid,
    };
    const grantId = await this.grants.createGrant(req.clientId, context);
    const { issuer } = smartUrls(this.config);
    const code = await this.grants.createCode(grantId, req.clientId, req.redirectUri, req.codeChallenge, issuer, this.config.lifetimes.code);
    // RFC 9207 §2: `iss` in every authorization response.
    return redirectWith(req.redirectUri, { code, state: req.state, iss: issuer });
  }

  private async createTransaction(req: StoredRequest, step: Step, userId: string | null, patientId: string | null): Promise<string> {
    const id = randomToken();
    await this.transactions.insert(
      sha256Hex(id),
      { request: req, step, user_id: userId, patient_id: patientId },
      new Date(Date.now() + TRANSACTION_SECONDS * 1000),
    );
    return id;
  }

  private async load(transactionId: string | undefined): Promise<Transaction> {
    const row = await this.transactions.findOpen(sha256Hex(transactionId ?? ''), new Date());
    if (!row) throw new CsrfRejected();
    return { request: row.request, step: row.step, userId: row.user_id, patientId: row.patient_id };
  }

  private async finish(id: string): Promise<void> {
    await this.transactions.finish(sha256Hex(id), new Date());
  }

  private client(clientId: string): SmartClientConfig {
    const client = this.config.smartClients.find((c) => c.clientId === clientId);
    if (!client) throw new CsrfRejected();
    return client;
  }
}

/** The scopes the user unticked on the consent page (one form value or several). */
function withheld(value: unknown): string[] {
  const list = Array.isArray(value) ? value : [value];
  return list.filter((v): v is string => typeof v === 'string');
}

/** The strongest level any of the requests needs. */
function overrideLevel(requests: readonly OverrideRequestClaims[]): OverrideLevel {
  return highestLevel(requests.map((r) => r.level));
}

/** FHIR types in plain words, for the override page. */
const PLAIN_TYPES: Record<string, string> = { MedicationRequest: 'medication order' };

/** "Create a medication order" / "Change the medication order …": what the refused call does, in words. */
export function describeAction(htm: string, htu: string): string {
  const type = /\/fhir\/([A-Za-z]+)(?:\/|$)/.exec(new URL(htu).pathname)?.[1] ?? 'record';
  const noun = PLAIN_TYPES[type] ?? type;
  return htm === 'PUT' ? `Save changes to a ${noun}` : `Create a ${noun}`;
}

function overrideEvent(event: OverrideEvent['event'], r: OverrideRequestClaims, base: Grant): OverrideEvent {
  return { event, serviceId: base.context.serviceId, rule: r.rule, level: r.level, clientId: r.client_id, userRef: r.sub, grantId: base.id };
}

/** A standalone launch needs a patient when it asks for `launch/patient` or any patient/ scope. */
function wantsPatient(scope: string): boolean {
  return scopeWords(scope).some((s) => s === 'launch/patient' || s.startsWith('patient/'));
}

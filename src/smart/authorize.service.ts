import { Inject, Injectable } from '@nestjs/common';
import { APP_CONFIG, type AppConfig, type SmartClientConfig } from '../config/app-config.js';
import { hashPasswordSync } from '../config/demo.js';
import { emit } from '../http/telemetry.js';
import {
  AuthorizationTransactionsRepository,
  type InteractionStep as Step,
  type StoredAuthorizeRequest as StoredRequest,
} from './authorization-transactions.repository.js';
import { type AuthorizeParams, AuthorizeRedirectError, redirectWith, validateAuthorizeRequest } from './authorize-checks.js';
import { type GrantContext, GrantStore } from './grant-store.js';
import { grantScopes, scopeWords } from './grant-scopes.js';
import { LaunchService } from './launch.service.js';
import { AccessDenied, CsrfRejected, InvalidRequest } from './oauth-errors.js';
import { consentPage, loginPage, patientPage } from './pages.js';
import { verifyPassword } from './passwords.js';
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
export type AuthorizeOutcome = { redirect: string } | { transaction: string; retry?: boolean };

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
  ) {}

  async start(params: AuthorizeParams): Promise<AuthorizeOutcome> {
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
    if (req.launch === undefined) return { transaction: await this.createTransaction(stored, 'login', null, null) };

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
    return { html: consentPage(csrf, client.name, this.scopeFor(tx.request, tx.patientId)) };
  }

  async submit(transactionId: string | undefined, form: Record<string, unknown>): Promise<AuthorizeOutcome> {
    const id = transactionId ?? '';
    const tx = await this.load(transactionId);
    // Single-use CSRF token bound to this transaction (A13): consumed whether or not the step succeeds.
    const csrf = typeof form.csrf === 'string' ? form.csrf : '';
    const consumed = await this.transactions.consumeCsrf(sha256Hex(id), sha256Hex(csrf));
    if (!consumed || form.step !== tx.step) throw new CsrfRejected();
    const client = this.client(tx.request.clientId);

    if (tx.step === 'login') {
      const user = this.config.users.find((u) => u.username === form.username);
      // An unknown user costs the same scrypt as a known one, so timing does not reveal user names.
      const ok = await verifyPassword(typeof form.password === 'string' ? form.password : '', user?.passwordHash ?? unknownUserHash());
      if (!user || !ok) {
        emit('smart.login-failure', { reason: 'credentials' });
        return { transaction: id, retry: true };
      }
      return this.advance(id, tx, client, user.fhirUser, tx.patientId);
    }
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
    const code = await this.grants.createCode(grantId, req.clientId, req.redirectUri, req.codeChallenge, this.config.lifetimes.code);
    // RFC 9207 §2: `iss` in every authorization response.
    return redirectWith(req.redirectUri, { code, state: req.state, iss: smartUrls(this.config).issuer });
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

let dummyHash: string | undefined;
function unknownUserHash(): string {
  dummyHash ??= hashPasswordSync(randomToken());
  return dummyHash;
}

/** A standalone launch needs a patient when it asks for `launch/patient` or any patient/ scope. */
function wantsPatient(scope: string): boolean {
  return scopeWords(scope).some((s) => s === 'launch/patient' || s.startsWith('patient/'));
}

import { generateKeyPair, SignJWT } from 'jose';
import * as oauth from 'oauth4webapi';
import { hashPasswordSync } from '../src/config/demo.js';
import { OverrideRequests } from '../src/smart/override/override-requests.js';
import type { OverrideRequestClaims } from '../src/smart/override/override-types.js';
import { notOkFixture, startLiveCardApp, type HookFixture, type LiveCardApp } from './helpers/card-launch.js';
import { OverrideClient, overrideIssues, openAuthorization, submitPage, type OverridePage } from './helpers/override-client.js';
import { APP_REDIRECT, followToApp } from './helpers/smart-harness.js';
import { CookieJar } from './helpers/sign-in.js';

// DESIGN.md "Step-up override protocol" (flow 5), driven end to end by oauth4webapi: a write refused by a
// rule, the RFC 9396 authorization request with the override-request token, the confirm or
// re-authentication page, the override token (RFC 9396 §7, RFC 9470 §3), the repeated write, the record.
const ALLERGY = notOkFixture('order-sign-drug-allergy');
const UNCODED = notOkFixture('order-sign-uncoded-medication');
const PRESCRIBER = 'Practitioner/demo-practitioner';
const PASSWORD = 'prescriber-pa55';
const OTHER_PASSWORD = 'colleague-pa55';
const APP_SCOPE = 'launch openid fhirUser patient/Patient.rs patient/MedicationRequest.cruds patient/AllergyIntolerance.rs patient/Provenance.rs patient/DetectedIssue.rs';

type Resource = { resourceType: string; id?: string; [key: string]: unknown };
type Bundle = { entry?: { resource: Resource }[] };

/** The draft order of a fixture, as the app writes it when the clinician keeps it. */
function keptOrder(fixture: HookFixture, changes: Record<string, unknown> = {}): Resource {
  const { id: _id, ...draft } = fixture.context.draftOrders.entry[0]!.resource as Resource;
  return { ...draft, status: 'active', ...changes };
}

/** The scope an override authorization asks: the app's grant without `launch` (no launch parameter this time). */
const overrideScope = (token: oauth.TokenEndpointResponse) => token.scope!.split(' ').filter((s) => s !== 'launch').join(' ');

/** The clinician's browser: signed in at the first card click, its session cookie sent with every later authorization. */
const clinicianBrowser = new CookieJar();

/** authorize with the tokens → the override page. */
async function overridePage(client: OverrideClient, token: oauth.TokenEndpointResponse, requestTokens: string[]) {
  const start = await client.overrideUrl(requestTokens, overrideScope(token));
  // From the browser that clicked the card, so its sign-in session comes along (and must not stand in for a password).
  const { page, callback } = await openAuthorization(start.url, clinicianBrowser.header(start.url.href));
  return { ...start, page: page!, callback };
}

/** The whole authorization: page, then `form`, then the code exchange. */
async function authorizeOverride(client: OverrideClient, token: oauth.TokenEndpointResponse, requestTokens: string[], form: Record<string, string>) {
  const { page, state, verifier } = await overridePage(client, token, requestTokens);
  const done = await submitPage(page, { decision: 'authorize', ...form });
  expect(done.callback).toBeDefined();
  return client.exchange(done.callback!, state, verifier);
}

describe('step-up override protocol with oauth4webapi (DESIGN.md flow 5)', () => {
  let live: LiveCardApp;
  let extensionUrl: string;

  beforeAll(async () => {
    live = await startLiveCardApp(APP_SCOPE, {
      writableTypes: ['MedicationRequest'],
      clients: [{ clientId: 'other-app', name: 'Other App', redirectUris: [APP_REDIRECT], scope: APP_SCOPE, auth: 'none', autoApprove: true, writableTypes: ['MedicationRequest'] }],
      file: {
        users: [
          { username: 'dr.prescriber', passwordHash: hashPasswordSync(PASSWORD), fhirUser: PRESCRIBER, roles: ['clinician'] },
          { username: 'dr.colleague', passwordHash: hashPasswordSync(OTHER_PASSWORD), fhirUser: 'Practitioner/colleague', roles: ['clinician'] },
        ],
      },
    });
    extensionUrl = `${live.base}/fhir/StructureDefinition/override-request`;
  });
  afterAll(() => live.t.close());
  afterEach(() => vi.useRealTimers());

  /** A card of `fixture` clicked, the app launched from it with oauth4webapi: the app's client and its token. */
  async function launchFromCard(fixture: HookFixture, clientId = 'medication-review'): Promise<{ client: OverrideClient; token: oauth.TokenEndpointResponse }> {
    const link = await live.cardAppLink(fixture);
    const { launchUrl } = await live.openLink(link, { username: 'dr.prescriber', password: PASSWORD }, clinicianBrowser);
    const iss = launchUrl.searchParams.get('iss')!;
    const client = await OverrideClient.discover(iss, clientId);
    const { url, state, verifier } = await client.authorizationUrl({ scope: APP_SCOPE, launch: launchUrl.searchParams.get('launch')! });
    const token = await client.exchange(await followToApp(url.href), state, verifier);
    return { client, token };
  }

  /** The last RFC 9470 challenge oauth4webapi parsed from a refused write. */
  let challenge: oauth.WWWAuthenticateChallenge | undefined;

  /** A write through oauth4webapi; a challenged answer (401/403 with WWW-Authenticate) is returned with its challenge kept. */
  async function write(accessToken: string, body: Resource): Promise<Response> {
    challenge = undefined;
    try {
      return await oauth.protectedResourceRequest(accessToken, 'POST', new URL(`${live.fhirBase}/MedicationRequest`), new Headers({ 'content-type': 'application/fhir+json' }), JSON.stringify(body), {
        [oauth.allowInsecureRequests]: true,
      });
    } catch (e) {
      if (!(e instanceof oauth.WWWAuthenticateChallengeError)) throw e;
      challenge = e.cause[0];
      return e.response;
    }
  }

  /** The launch's MedicationRequests, read with the app's own token: what "nothing was written" is asserted by. */
  async function orderIds(accessToken: string, patient: string): Promise<string[]> {
    const res = await fetch(`${live.fhirBase}/MedicationRequest?patient=${patient}`, { headers: { authorization: `Bearer ${accessToken}` } });
    expect(res.status).toBe(200);
    return (((await res.json()) as Bundle).entry ?? []).map((e) => e.resource.id!).sort();
  }

  /** The refusal: 403 with the override-required issues. */
  async function refused(res: Response): Promise<ReturnType<typeof overrideIssues>> {
    expect(res.status).toBe(403);
    const issues = overrideIssues((await res.json()) as { issue: [] }, extensionUrl);
    expect(issues.length).toBeGreaterThan(0);
    return issues;
  }

  it('discovery advertises the RFC 9396 type and the RFC 9470 acr values; the CapabilityStatement lists $validate and the extension', async () => {
    const client = await OverrideClient.discover(live.fhirBase, 'medication-review');
    expect(client.as.authorization_details_types_supported).toEqual(['hookwarden-override']);
    expect(client.as.acr_values_supported).toEqual(['urn:hookwarden:acr:confirm', 'urn:hookwarden:acr:reauthenticate']);
    const smart = (await (await fetch(`${live.fhirBase}/.well-known/smart-configuration`)).json()) as Record<string, unknown>;
    expect(smart).toMatchObject({ authorization_details_types_supported: ['hookwarden-override'], acr_values_supported: client.as.acr_values_supported });
    const metadata = (await (await fetch(`${live.fhirBase}/metadata`)).json()) as {
      rest: { security: { extension: { url: string }[] }; resource: { type: string; operation?: { name: string }[] }[] }[];
    };
    expect(metadata.rest[0]!.resource.find((r) => r.type === 'MedicationRequest')?.operation).toEqual([
      { name: 'validate', definition: 'http://hl7.org/fhir/OperationDefinition/Resource-validate' },
    ]);
    expect(metadata.rest[0]!.security.extension.map((e) => e.url)).toContain(extensionUrl);
  });

  it('reauthenticate: refusal → authorize with authorization_details → wrong password refused → right one → token → repeat → 201, with Provenance and DetectedIssue', async () => {
    const { client, token } = await launchFromCard(ALLERGY);
    const patient = token.patient as string;
    const before = await orderIds(token.access_token, patient);
    const order = keptOrder(ALLERGY);

    const [issue, ...more] = await refused(await write(token.access_token, order));
    expect(more).toEqual([]);
    // RFC 9470 §3: the challenge names the authentication the write needs.
    expect(challenge?.parameters).toMatchObject({ error: 'insufficient_user_authentication', acr_values: 'urn:hookwarden:acr:reauthenticate', max_age: '0' });
    expect(issue).toMatchObject({
      severity: 'error',
      code: 'security',
      details: { coding: [{ system: `${live.base}/fhir/CodeSystem/override`, code: 'override-required' }] },
      level: 'reauthenticate',
      rule: 'drug-allergy',
      authorize: `${live.base}/auth/authorize`,
    });
    expect(await orderIds(token.access_token, patient)).toEqual(before);

    const { page, state, verifier } = await overridePage(client, token, [issue!.token]);
    expect(page.status).toBe(200);
    expect(page.html).toContain('Tyrone Brown');
    expect(page.html).toContain('Create a medication order');
    expect(page.html).toContain('The patient has an active allergy to ibuprofen, which this order contains.');
    // The browser holds a live session from the card click; reauthenticate still asks the password (RFC 9470 §3 max_age=0).
    expect(clinicianBrowser.header(`${live.base}/auth/authorize`)).toMatch(/hw_session=/);
    expect(page.html).toContain('type="password"');

    const wrong = await submitPage(page, { decision: 'authorize', password: 'not-it' });
    expect(wrong.page?.html).toContain('That password is not right');
    const done = await submitPage(wrong.page!, { decision: 'authorize', password: PASSWORD });
    const override = await client.exchange(done.callback!, state, verifier);

    expect(override.expires_in).toBe(300);
    expect(override.refresh_token).toBeUndefined();
    expect(override.authorization_details).toEqual([
      expect.objectContaining({ type: 'hookwarden-override', rule: 'drug-allergy', level: 'reauthenticate', htm: 'POST', htu: `${live.fhirBase}/MedicationRequest` }),
    ]);
    const claims = JSON.parse(Buffer.from(override.access_token.split('.')[1]!, 'base64url').toString()) as Record<string, unknown>;
    expect(claims).toMatchObject({ acr: 'urn:hookwarden:acr:reauthenticate', authorization_details: override.authorization_details });
    expect(typeof claims.auth_time).toBe('number');

    const accepted = await write(override.access_token, order);
    expect(accepted.status).toBe(201);
    const written = (await accepted.json()) as Resource;
    expect(await orderIds(token.access_token, patient)).toEqual([...before, written.id!].sort());

    const provenance = await fetch(`${live.fhirBase}/Provenance?target=MedicationRequest/${written.id}`, { headers: { authorization: `Bearer ${token.access_token}` } });
    const [record] = (((await provenance.json()) as Bundle).entry ?? []).map((e) => e.resource);
    expect(record).toMatchObject({
      resourceType: 'Provenance',
      target: [{ reference: `MedicationRequest/${written.id}` }],
      agent: [{ who: { reference: PRESCRIBER } }],
      activity: { coding: [{ code: 'CREATE' }] },
      reason: [{ coding: [{ code: 'drug-allergy' }] }],
      extension: [{ valueCode: 'reauthenticate' }, { valueString: claims.jti }],
    });
    const detected = await fetch(`${live.fhirBase}/DetectedIssue?patient=${patient}`, { headers: { authorization: `Bearer ${token.access_token}` } });
    expect((((await detected.json()) as Bundle).entry ?? []).map((e) => e.resource)).toEqual([
      expect.objectContaining({ resourceType: 'DetectedIssue', implicated: [{ reference: `MedicationRequest/${written.id}` }], author: { reference: PRESCRIBER } }),
    ]);
  });

  it('confirm: an uncoded order is refused, authorized with one click (no password), and accepted', async () => {
    const { client, token } = await launchFromCard(UNCODED);
    const order = keptOrder(UNCODED);
    const [issue] = await refused(await write(token.access_token, order));
    expect(issue).toMatchObject({ level: 'confirm', rule: 'uncoded-medication' });
    const { page, state, verifier } = await overridePage(client, token, [issue!.token]);
    expect(page.html).not.toContain('type="password"');
    expect(page.html).toContain('Magic mouthwash');
    const done = await submitPage(page, { decision: 'authorize' });
    const override = await client.exchange(done.callback!, state, verifier);
    expect(JSON.parse(Buffer.from(override.access_token.split('.')[1]!, 'base64url').toString())).toMatchObject({ acr: 'urn:hookwarden:acr:confirm' });
    expect((await write(override.access_token, order)).status).toBe(201);
  });

  it('$validate answers the same issue as a warning before the write, and writes nothing', async () => {
    const { token } = await launchFromCard(ALLERGY);
    const before = await orderIds(token.access_token, token.patient as string);
    const res = await fetch(`${live.fhirBase}/MedicationRequest/$validate`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token.access_token}`, 'content-type': 'application/fhir+json' },
      body: JSON.stringify({ resourceType: 'Parameters', parameter: [{ name: 'resource', resource: keptOrder(ALLERGY) }] }),
    });
    expect(res.status).toBe(200);
    expect(overrideIssues((await res.json()) as { issue: [] }, extensionUrl)).toEqual([expect.objectContaining({ severity: 'warning', level: 'reauthenticate', rule: 'drug-allergy' })]);
    const clean = await fetch(`${live.fhirBase}/MedicationRequest/$validate`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token.access_token}`, 'content-type': 'application/fhir+json' },
      body: JSON.stringify(keptOrder(ALLERGY, { medicationCodeableConcept: { coding: [{ system: 'http://www.nlm.nih.gov/research/umls/rxnorm', code: '198211' }] } })),
    });
    expect(((await clean.json()) as { issue: { severity: string }[] }).issue).toEqual([expect.objectContaining({ severity: 'information', code: 'informational' })]);
    expect(await orderIds(token.access_token, token.patient as string)).toEqual(before);
  });

  /** A launch, its refused write and the override-request token. */
  async function refusedLaunch(fixture = ALLERGY) {
    const launched = await launchFromCard(fixture);
    const order = keptOrder(fixture);
    const [issue] = await refused(await write(launched.token.access_token, order));
    const before = await orderIds(launched.token.access_token, launched.token.patient as string);
    return { ...launched, order, issue: issue!, before, unchanged: async () => expect(await orderIds(launched.token.access_token, launched.token.patient as string)).toEqual(before) };
  }

  describe('refusals: nothing is written in any of them', () => {
    it('a reused override is refused 403 with a fresh override request', async () => {
      const r = await refusedLaunch();
      const override = await authorizeOverride(r.client, r.token, [r.issue.token], { password: PASSWORD });
      expect((await write(override.access_token, r.order)).status).toBe(201);
      const after = await orderIds(r.token.access_token, r.token.patient as string);
      const [again] = await refused(await write(override.access_token, r.order));
      expect(again!.diagnostics).toBe('the override was already used');
      expect(again!.token).not.toBe(r.issue.token);
      expect(await orderIds(r.token.access_token, r.token.patient as string)).toEqual(after);
    });

    it('two overrides authorized for one request: once either is used, the other is refused and the request cannot be authorized again', async () => {
      const r = await refusedLaunch();
      const first = await authorizeOverride(r.client, r.token, [r.issue.token], { password: PASSWORD });
      const second = await authorizeOverride(r.client, r.token, [r.issue.token], { password: PASSWORD });
      expect((await write(second.access_token, r.order)).status).toBe(201);
      const after = await orderIds(r.token.access_token, r.token.patient as string);
      const [issue] = await refused(await write(first.access_token, r.order));
      expect(issue!.diagnostics).toBe('the override was already used');
      const { url } = await r.client.overrideUrl([r.issue.token], overrideScope(r.token));
      const { callback } = await openAuthorization(url);
      expect(new URL(callback!).searchParams.get('error_description')).toBe('override_request was already used');
      expect(await orderIds(r.token.access_token, r.token.patient as string)).toEqual(after);
    });

    it('an expired override (frozen clock past lifetimes.override) is refused and nothing is written', async () => {
      const r = await refusedLaunch();
      const override = await authorizeOverride(r.client, r.token, [r.issue.token], { password: PASSWORD });
      vi.useFakeTimers({ toFake: ['Date'], now: Date.now() + 301_000 });
      const res = await write(override.access_token, r.order);
      // RFC 6750 §3.1: an expired bearer token is `invalid_token`, whatever it was for.
      expect(res.status).toBe(401);
      expect(res.headers.get('www-authenticate')).toBe('Bearer error="invalid_token"');
      await r.unchanged();
    });

    it('an override for another body is refused', async () => {
      const r = await refusedLaunch();
      const override = await authorizeOverride(r.client, r.token, [r.issue.token], { password: PASSWORD });
      const other = keptOrder(ALLERGY, { dosageInstruction: [{ text: '800 mg four times daily' }] });
      const [issue] = await refused(await write(override.access_token, other));
      expect(issue!.diagnostics).toBe('the override is for another body');
      await r.unchanged();
    });

    it('an override obtained for one patient is refused for another patient’s order', async () => {
      const r = await refusedLaunch();
      const override = await authorizeOverride(r.client, r.token, [r.issue.token], { password: PASSWORD });
      const res = await write(override.access_token, keptOrder(ALLERGY, { subject: { reference: 'Patient/pt-statin-macrolide' } }));
      expect(res.status).toBe(403);
      await r.unchanged();
    });

    it('another user’s password does not authorize the override (the page asks for the token’s user)', async () => {
      const r = await refusedLaunch();
      const { page } = await overridePage(r.client, r.token, [r.issue.token]);
      const done = await submitPage(page, { decision: 'authorize', password: OTHER_PASSWORD });
      expect(done.callback).toBeUndefined();
      expect(done.page?.html).toContain('That password is not right');
      await r.unchanged();
    });

    it('another client cannot use the override request: invalid_authorization_details (RFC 9396 §5)', async () => {
      const r = await refusedLaunch();
      const other = await OverrideClient.discover(live.fhirBase, 'other-app');
      const { url } = await other.overrideUrl([r.issue.token], overrideScope(r.token));
      const { callback } = await openAuthorization(url);
      const q = new URL(callback!).searchParams;
      expect({ error: q.get('error'), description: q.get('error_description'), code: q.get('code') }).toEqual({
        error: 'invalid_authorization_details',
        description: 'override_request was issued to another client',
        code: null,
      });
      await r.unchanged();
    });

    it('a confirm override is refused for a rule that needs reauthenticate (RFC 9470 §3 acr)', async () => {
      const r = await refusedLaunch();
      const claims = JSON.parse(Buffer.from(r.issue.token.split('.')[1]!, 'base64url').toString()) as Record<string, unknown>;
      // A request minted by this server at `confirm` (as under an older configuration) for the same call.
      const { jti: _j, iat: _i, exp: _e, iss: _s, aud: _a, ...input } = claims as unknown as OverrideRequestClaims & { iss: string; aud: string };
      const asConfirm = await live.t.app.get(OverrideRequests).mint({ ...input, level: 'confirm' });
      const override = await authorizeOverride(r.client, r.token, [asConfirm], {});
      const [issue] = await refused(await write(override.access_token, r.order));
      expect(issue!.diagnostics).toBe('rule drug-allergy needs reauthenticate, the override was authorized by confirm');
      await r.unchanged();
    });

    it('a forged override-request token (another key) and an expired one (frozen clock) are refused at authorize', async () => {
      const r = await refusedLaunch();
      const claims = JSON.parse(Buffer.from(r.issue.token.split('.')[1]!, 'base64url').toString()) as Record<string, unknown>;
      const { privateKey } = await generateKeyPair('RS256');
      const forged = await new SignJWT(claims).setProtectedHeader({ alg: 'RS256', typ: 'override-request+jwt', kid: 'forged' }).sign(privateKey);
      for (const [token, at] of [
        [forged, Date.now()],
        [r.issue.token, Date.now() + 301_000],
      ] as const) {
        vi.useFakeTimers({ toFake: ['Date'], now: at });
        const { url } = await r.client.overrideUrl([token], overrideScope(r.token));
        const { callback } = await openAuthorization(url);
        expect(new URL(callback!).searchParams.get('error')).toBe('invalid_authorization_details');
        vi.useRealTimers();
      }
      await r.unchanged();
    });

    it('Cancel on the override page answers access_denied', async () => {
      const r = await refusedLaunch();
      const { page } = await overridePage(r.client, r.token, [r.issue.token]);
      const done = await submitPage(page as OverridePage, { decision: 'cancel' });
      const q = new URL(done.callback!).searchParams;
      expect(q.get('error')).toBe('access_denied');
      expect(q.get('code')).toBeNull();
      await r.unchanged();
    });
  });
});

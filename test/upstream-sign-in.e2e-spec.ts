import { exportJWK, generateKeyPair, type JWK } from 'jose';
import { notOkFixture, startLiveCardApp, type LiveCardApp } from './helpers/card-launch.js';
import { startTestOp, type TestOp } from './helpers/oidc-op.js';
import { type ClickRefused, CookieJar } from './helpers/sign-in.js';
import { fhirclientEhrLaunch, freePort, openidClientEhrLaunch } from './helpers/smart-harness.js';

// Sign-in through the hospital's OpenID provider: a real oidc-provider on loopback, Hookwarden as its
// relying party (openid-client: discovery, PKCE, state, nonce, id_token validation, RFC 9207 `iss`).
const FIXTURE = notOkFixture('order-sign-statin-macrolide');
const SCOPE = 'launch openid fhirUser patient/MedicationRequest.rs';
const ACCOUNTS = [
  { sub: 'prescriber-1', fhir_user: 'Practitioner/demo-practitioner', email: 'prescriber@hospital.example' },
  { sub: 'colleague-1', fhir_user: 'Practitioner/colleague', email: 'colleague@hospital.example' },
];

/** The ClickRefused (or the callback's refusal) a click ends in. */
async function refusal(click: Promise<unknown>): Promise<{ status: number; page: string }> {
  const e = await click.then(
    () => undefined,
    (error: unknown) => error,
  );
  expect(e).toBeDefined();
  return e as ClickRefused;
}

/**
 * The provider and Hookwarden, each knowing the other: the provider must know Hookwarden's callback before
 * Hookwarden knows the provider, so Hookwarden's port is fixed first. `client` is the provider entry's
 * client authentication and scopes; `clientJwk` registers private_key_jwt at the provider.
 */
async function startHospital(client: Record<string, unknown>, clientJwk?: JWK): Promise<{ op: TestOp; live: LiveCardApp }> {
  const port = await freePort();
  const op = await startTestOp(`http://127.0.0.1:${port}`, ACCOUNTS, clientJwk);
  const entry = { id: 'hospital', displayName: 'Hospital SSO', issuer: op.issuer, clientId: op.clientId, fhirUserClaim: 'fhir_user', ...client };
  if (client.clientAuth === 'client_secret_basic') Object.assign(entry, { clientSecret: op.clientSecret });
  const live = await startLiveCardApp(undefined, { port, file: { identityProviders: [entry] } });
  return { op, live };
}

async function stop(op: TestOp | undefined, live: LiveCardApp | undefined): Promise<void> {
  await live?.t.close();
  await op?.close();
}

describe('card link → Hookwarden → hospital OpenID provider → back → app launched as that user', () => {
  let op: TestOp;
  let live: LiveCardApp;
  beforeAll(async () => {
    ({ op, live } = await startHospital({ clientAuth: 'client_secret_basic', scopes: ['openid', 'email', 'fhirUser'], allowedDomains: ['hospital.example'] }));
  }, 60_000);
  afterAll(() => stop(op, live));

  it('the sign-in page offers the provider; after it the launch completes with openid-client as the app, as that user', async () => {
    const link = await live.cardAppLink(FIXTURE);
    const jar = new CookieJar();
    const first = await live.openLink(link, op.signIn('prescriber-1'), jar);
    expect(first.signedIn).toBe(true);
    const iss = first.launchUrl.searchParams.get('iss')!;
    const { tokens } = await openidClientEhrLaunch(iss, 'medication-review', first.launchUrl.searchParams.get('launch')!, SCOPE);
    expect(tokens.claims()?.fhirUser).toBe(`${iss}/Practitioner/demo-practitioner`);
    expect(tokens.patient).toBe(FIXTURE.context.patientId);
    // The session now answers the next clicks: no second trip to the provider.
    expect((await live.openLink(link, undefined, jar)).signedIn).toBe(false);
  });

  it('the same launch completes with fhirclient (Node adapter) as the app, as that user', async () => {
    const { launchUrl } = await live.openLink(await live.cardAppLink(FIXTURE), op.signIn('prescriber-1'));
    const client = await fhirclientEhrLaunch(launchUrl.searchParams.get('iss')!, launchUrl.searchParams.get('launch')!, SCOPE);
    expect(client.getPatientId()).toBe(FIXTURE.context.patientId);
    expect(client.getFhirUser()).toBe('Practitioner/demo-practitioner');
  });

  it('a second browser without a session is sent to sign in first', async () => {
    const link = await live.cardAppLink(FIXTURE);
    await live.openLink(link, op.signIn('prescriber-1'));
    const other = await refusal(live.openLink(link, undefined, new CookieJar()));
    expect(other.page).toBe('sign-in page, no credentials');
  });

  it('a provider user who is not the hook user is refused with a page', async () => {
    const link = await live.cardAppLink(FIXTURE);
    const refused = await refusal(live.openLink(link, op.signIn('colleague-1')));
    expect(refused.status).toBe(403);
    expect(refused.page).toContain('<h1>Link issued to another user</h1>');
  });

  it('control: an id_token re-signed by the provider with only an extra claim is accepted, so what the next cases change is what is refused', async () => {
    const link = await live.cardAppLink(FIXTURE);
    op.tamperNextIdToken({ extra: 'claim' });
    expect((await live.openLink(link, op.signIn('prescriber-1'))).signedIn).toBe(true);
  });

  it.each([
    ['nonce', { nonce: 'another-nonce' }],
    ['aud', { aud: 'another-client' }],
    ['iss', { iss: 'http://127.0.0.1:1/another-issuer' }],
  ])('an id_token with a wrong %s is refused (OIDC Core §3.1.3.7), and no session is opened', async (_name, claims) => {
    const link = await live.cardAppLink(FIXTURE);
    op.tamperNextIdToken(claims);
    const refused = await refusal(live.openLink(link, op.signIn('prescriber-1')));
    expect(refused.status).toBe(403);
    expect(refused.page).toContain('did not succeed');
  });

  it('an authorization response whose iss is not the provider is refused (RFC 9207 §2.4, mix-up)', async () => {
    const link = await live.cardAppLink(FIXTURE);
    const refused = await refusal(live.openLink(link, op.signIn('prescriber-1', { alterCallback: (u) => u.searchParams.set('iss', 'https://attacker.example') })));
    expect(refused.status).toBe(403);
  });
});

describe('upstream sign-in with private_key_jwt client authentication (RFC 7523 §2.2)', () => {
  let op: TestOp;
  let live: LiveCardApp;
  beforeAll(async () => {
    const { publicKey, privateKey } = await generateKeyPair('ES256', { extractable: true });
    const key = { kid: 'hookwarden-rp', alg: 'ES256' };
    ({ op, live } = await startHospital(
      { clientAuth: 'private_key_jwt', privateKeyJwk: { ...(await exportJWK(privateKey)), ...key }, scopes: ['openid', 'fhirUser'] },
      { ...(await exportJWK(publicKey)), ...key, use: 'sig' },
    ));
  }, 60_000);
  afterAll(() => stop(op, live));

  it('signs in with a signed client assertion and launches as that user', async () => {
    const link = await live.cardAppLink(FIXTURE);
    const click = await live.openLink(link, op.signIn('prescriber-1'));
    expect(click.signedIn).toBe(true);
    expect(click.launchUrl.searchParams.get('launch')).toBeTruthy();
  });
});

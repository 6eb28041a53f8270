import { createServer } from 'node:net';
import smart from 'fhirclient';
import * as oidc from 'openid-client';
import { APP_REDIRECT, binding, createSmartApp, type SmartTestApp } from './helpers/smart-harness.js';

/** A free loopback port, so the app's public URL (issuer, aud) is the address clients really call. */
async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as { port: number };
      srv.close(() => resolve(port));
    });
  });
}

/** The browser's part: GET the authorization URL and return the redirect to the app (auto-approve client). */
async function followToApp(url: string): Promise<string> {
  const res = await fetch(url, { redirect: 'manual' });
  const location = res.headers.get('location');
  if (res.status !== 303 || !location?.startsWith(APP_REDIRECT)) throw new Error(`unexpected authorize answer ${res.status} ${location}`);
  return location;
}

describe('real SMART client libraries against the running server', () => {
  let t: SmartTestApp;
  let base: string;
  let fhirBase: string;
  beforeAll(async () => {
    const port = await freePort();
    base = `http://127.0.0.1:${port}`;
    fhirBase = `${base}/fhir`;
    t = await createSmartApp({}, undefined, { publicUrl: base });
    await t.app.listen(port, '127.0.0.1');
  });
  afterAll(() => t.close());

  it('openid-client completes an EHR launch from a minted launch to a /fhir read, validating iss, state and the id_token', async () => {
    const launch = await t.launches.mint(binding({ iss: fhirBase }));
    const config = await oidc.discovery(new URL(`${fhirBase}/.well-known/smart-configuration`), 'public-app', undefined, oidc.None(), {
      execute: [oidc.allowInsecureRequests],
    });
    const verifier = oidc.randomPKCECodeVerifier();
    const state = oidc.randomState();
    const nonce = oidc.randomNonce();
    const url = oidc.buildAuthorizationUrl(config, {
      redirect_uri: APP_REDIRECT,
      scope: 'launch openid fhirUser offline_access patient/*.rs',
      state,
      nonce,
      code_challenge: await oidc.calculatePKCECodeChallenge(verifier),
      code_challenge_method: 'S256',
      aud: fhirBase,
      launch,
    });
    const callback = await followToApp(url.href);
    const tokens = await oidc.authorizationCodeGrant(config, new URL(callback), { pkceCodeVerifier: verifier, expectedState: state, expectedNonce: nonce, idTokenExpected: true });
    expect(tokens.patient).toBe('demo-patient-1');
    expect(tokens.appContext).toBe('{"session":3456356}');
    expect(tokens.claims()?.fhirUser).toBe(`${fhirBase}/Practitioner/demo-practitioner`);

    const res = await oidc.fetchProtectedResource(config, tokens.access_token, new URL(`${fhirBase}/Patient/${String(tokens.patient)}`), 'GET');
    expect(res.status).toBe(200);
    expect(((await res.json()) as { id: string }).id).toBe('demo-patient-1');

    const refreshed = await oidc.refreshTokenGrant(config, tokens.refresh_token!);
    expect(refreshed.access_token).not.toBe(tokens.access_token);
  });

  it('fhirclient (Node adapter) completes an EHR launch, reads the patient and refreshes', async () => {
    const launch = await t.launches.mint(binding({ iss: fhirBase }));
    const store = new Map<string, unknown>();
    const storage = {
      get: async (k: string) => store.get(k),
      set: async (k: string, v: unknown) => {
        store.set(k, v);
        return v;
      },
      unset: async (k: string) => store.delete(k),
    };
    const fakeRes = { writeHead() {}, end() {} };
    const req1 = { url: `/launch?iss=${encodeURIComponent(fhirBase)}&launch=${launch}`, headers: { host: 'app.test' }, socket: { encrypted: true } };
    const authUrl = await smart(req1 as never, fakeRes as never, storage as never).authorize({
      clientId: 'public-app',
      scope: 'launch openid fhirUser offline_access patient/*.rs',
      redirectUri: APP_REDIRECT,
      noRedirect: true,
      pkceMode: 'required',
    });
    const callback = new URL(await followToApp(String(authUrl)));
    const req2 = { url: callback.pathname + callback.search, headers: { host: 'app.test' }, socket: { encrypted: true } };
    const client = await smart(req2 as never, fakeRes as never, storage as never).ready();
    expect(client.getPatientId()).toBe('demo-patient-1');
    expect(client.getFhirUser()).toBe('Practitioner/demo-practitioner');
    expect((client.state.tokenResponse as { appContext?: string }).appContext).toBe('{"session":3456356}');
    const patient = (await client.patient.read()) as { id: string };
    expect(patient.id).toBe('demo-patient-1');
    const meds = (await client.request('MedicationRequest')) as { entry: { resource: { id: string } }[] };
    expect(meds.entry.map((e) => e.resource.id)).toEqual(['demo-medrx-1']);
    await client.refresh();
    expect(client.getState('tokenResponse.refresh_token')).toBeDefined();
  });
});

import smart from 'fhirclient';
import * as oidc from 'openid-client';
import { APP_REDIRECT, binding, createSmartApp, fhirclientNode, followToApp, freePort, openidClientEhrLaunch, type SmartTestApp } from './helpers/smart-harness.js';

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
    const { config, tokens } = await openidClientEhrLaunch(fhirBase, 'public-app', launch, 'launch openid fhirUser offline_access patient/*.rs');
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
    const node = fhirclientNode();
    const req1 = node.req(`/launch?iss=${encodeURIComponent(fhirBase)}&launch=${launch}`);
    const authUrl = await smart(req1 as never, node.res as never, node.storage as never).authorize({
      clientId: 'public-app',
      scope: 'launch openid fhirUser offline_access patient/*.rs',
      redirectUri: APP_REDIRECT,
      noRedirect: true,
      pkceMode: 'required',
    });
    const callback = new URL(await followToApp(String(authUrl)));
    const req2 = node.req(callback.pathname + callback.search);
    const client = await smart(req2 as never, node.res as never, node.storage as never).ready();
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

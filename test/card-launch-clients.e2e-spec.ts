import * as oidc from 'openid-client';
import request from 'supertest';
import { notOkFixture, snapshotMedicationIds, startLiveCardApp, type LiveCardApp } from './helpers/card-launch.js';
import { fhirclientEhrLaunch, openidClientEhrLaunch } from './helpers/smart-harness.js';

// Real clients, not our own: openid-client and fhirclient (Node adapter) each complete an
// EHR launch that starts at a card's app link (DESIGN.md flow 2) and end in a /fhir read of the snapshot.
const FIXTURE = notOkFixture('order-sign-statin-macrolide');
const PATIENT = FIXTURE.context.patientId;
const SCOPE = 'launch openid fhirUser patient/MedicationRequest.rs';

type Bundle = { entry?: { resource: { id: string } }[] };
const idsOf = (bundle: Bundle) => (bundle.entry ?? []).map((e) => e.resource.id).sort();

describe('card link → EHR launch with real SMART client libraries', () => {
  let live: LiveCardApp;
  beforeAll(async () => {
    live = await startLiveCardApp();
  });
  afterAll(() => live.t.close());

  /** What the EHR does with a card link: one click, one 303 to the launch URL; returns its iss and launch. */
  async function clickCardLink(): Promise<{ iss: string; launch: string }> {
    const link = new URL(await live.cardAppLink(FIXTURE));
    const res = await request(live.t.server).get(link.pathname).expect(303);
    const location = new URL(res.headers.location as string);
    expect(`${location.origin}${location.pathname}`).toBe(`${live.base}/apps/medication-review/launch.html`);
    return { iss: location.searchParams.get('iss') as string, launch: location.searchParams.get('launch') as string };
  }

  it('openid-client: discovery from the card launch iss, authorize, token with the hook patient, /fhir read of the snapshot', async () => {
    const { iss, launch } = await clickCardLink();
    expect(iss).toBe(live.fhirBase);
    const { config, tokens } = await openidClientEhrLaunch(iss, 'medication-review', launch, SCOPE);
    expect(tokens.patient).toBe(PATIENT);

    const res = await oidc.fetchProtectedResource(config, tokens.access_token, new URL(`${iss}/MedicationRequest?patient=${PATIENT}`), 'GET');
    expect(res.status).toBe(200);
    expect(idsOf((await res.json()) as Bundle)).toEqual(snapshotMedicationIds(FIXTURE));
  });

  it('fhirclient (Node adapter): launch from the card link, ready() with the hook patient, /fhir read of the snapshot', async () => {
    const { iss, launch } = await clickCardLink();
    const client = await fhirclientEhrLaunch(iss, launch, SCOPE);
    expect(client.getPatientId()).toBe(PATIENT);
    expect((client.state.tokenResponse as { patient?: string }).patient).toBe(PATIENT);
    const meds = (await client.request(`MedicationRequest?patient=${PATIENT}`)) as Bundle;
    expect(idsOf(meds)).toEqual(snapshotMedicationIds(FIXTURE));
  });
});

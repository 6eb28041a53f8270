import { ConfigError } from '../src/config/config-error.js';
import { notOkFixture, startLiveCardApp } from './helpers/card-launch.js';
import { OverrideClient, overrideIssues } from './helpers/override-client.js';
import { followToApp } from './helpers/smart-harness.js';
import { buildTestConfig, createTestApp } from './helpers/test-app.js';

const SCOPE = 'launch openid fhirUser patient/Patient.rs patient/MedicationRequest.cruds';

// DESIGN.md configuration contract: `overrides` raises a write rule's level, never lowers it.
describe('operator overrides of write-rule levels', () => {
  it('a lowered level or an unknown rule stops the start, each key named', async () => {
    const config = buildTestConfig({ overrides: { 'drug-allergy': 'confirm', 'no-such-rule': 'reauthenticate' } });
    const started = createTestApp(config);
    await expect(started).rejects.toBeInstanceOf(ConfigError);
    await expect(started).rejects.toMatchObject({
      problems: ["overrides.drug-allergy: confirm is below the service's level reauthenticate", 'overrides.no-such-rule: no service declares a write rule no-such-rule'],
    });
  });

  it('a raised level is what /fhir asks for: an uncoded order needs reauthenticate', async () => {
    const live = await startLiveCardApp(SCOPE, {
      writableTypes: ['MedicationRequest'],
      file: { overrides: { 'uncoded-medication': 'reauthenticate' } },
    });
    try {
      const fixture = notOkFixture('order-sign-uncoded-medication');
      const launch = new URL((await fetch(await live.cardAppLink(fixture), { redirect: 'manual' })).headers.get('location')!);
      const client = await OverrideClient.discover(live.fhirBase, 'medication-review');
      const { url, state, verifier } = await client.authorizationUrl({ scope: SCOPE, launch: launch.searchParams.get('launch')! });
      const token = await client.exchange(await followToApp(url.href), state, verifier);
      const { id: _id, ...order } = fixture.context.draftOrders.entry[0]!.resource;
      const res = await fetch(`${live.fhirBase}/MedicationRequest/$validate`, {
        method: 'POST',
        headers: { authorization: `Bearer ${token.access_token}`, 'content-type': 'application/fhir+json' },
        body: JSON.stringify(order),
      });
      expect(overrideIssues((await res.json()) as { issue: [] }, `${live.base}/fhir/StructureDefinition/override-request`)).toEqual([
        expect.objectContaining({ rule: 'uncoded-medication', level: 'reauthenticate' }),
      ]);
    } finally {
      await live.t.close();
    }
  });
});

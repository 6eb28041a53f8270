import request from 'supertest';
import { freshPostgresDatabase, TEST_PG_URL } from './helpers/postgres.js';
import { authParams, binding, createSmartApp, exchange, locationParams, makeClientKey, pkce, type SmartTestApp } from './helpers/smart-harness.js';

// The authorization server state lives in the database, so instances behind a load balancer agree.
describe.runIf(TEST_PG_URL)('SMART authorization server across instances on PostgreSQL', () => {
  let one: SmartTestApp;
  let two: SmartTestApp;
  beforeAll(async () => {
    const databaseUrl = await freshPostgresDatabase('smart');
    const key = await makeClientKey();
    [one, two] = await Promise.all([createSmartApp({}, key, { databaseUrl }), createSmartApp({}, key, { databaseUrl })]);
  });
  afterAll(async () => {
    await Promise.all([one.close(), two.close()]);
  });

  it('instances starting together share one signing key', async () => {
    const [a, b] = await Promise.all([request(one.server).get('/auth/jwks'), request(two.server).get('/auth/jwks')]);
    expect(a.body.keys).toHaveLength(1);
    expect(b.body).toEqual(a.body);
  });

  it('a launch minted on one instance is redeemed on the other, and a code redeemed concurrently on both never succeeds twice', async () => {
    const launch = await one.launches.mint(binding());
    const { verifier, challenge } = pkce();
    const res = await request(two.server).get('/auth/authorize').query(authParams(launch, challenge)).expect(303);
    const code = locationParams(res.headers.location).get('code')!;
    const answers = await Promise.all([exchange(one, code, verifier), exchange(two, code, verifier)]);
    const statuses = answers.map((r) => r.status);
    // The loser is a replay (RFC 6749 §4.1.2): it fails and may revoke the winner's grant before issuance, so 400/400 is legal too.
    expect(statuses.filter((s) => s === 200).length).toBeLessThanOrEqual(1);
    expect(statuses).toContain(400);
    for (const refused of answers.filter((r) => r.status !== 200)) {
      expect(refused.body.error).toBe('invalid_grant');
      expect(['code was already used', 'authorization was revoked']).toContain(refused.body.error_description);
    }
  });
});

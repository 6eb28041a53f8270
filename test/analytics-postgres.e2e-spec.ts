import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import request from 'supertest';
import type { Card } from '../src/cds/cds-types.js';
import { hashPasswordSync } from '../src/config/demo.js';
import { dashboardToken } from './helpers/analytics.js';
import { makeTestEhr } from './helpers/ehr-jwt.js';
import { freshPostgresDatabase, TEST_PG_URL } from './helpers/postgres.js';
import { buildTestConfig, createTestApp, TEST_PUBLIC_URL, type TestApp } from './helpers/test-app.js';

// Many instances on one PostgreSQL (DESIGN.md: the operator's scale-out mode) fold the same raw
// events into the same rollups: whichever instances roll up, and however many at once, each event
// is counted once.
const SERVICE = 'medication-safety-order-sign';
const FIXTURE = JSON.parse(readFileSync(new URL('../hooks/medication-safety/fixtures/not-ok/order-sign-statin-macrolide.json', import.meta.url), 'utf8'));

describe.runIf(TEST_PG_URL)('analytics rollups with two instances on one PostgreSQL', () => {
  it('counts every call, card and feedback once while both instances fold at the same time', async () => {
    const databaseUrl = await freshPostgresDatabase('analytics_two');
    const ehr = await makeTestEhr();
    const file = {
      ehrs: [ehr.config()],
      users: [{ username: 'owner', passwordHash: hashPasswordSync('pw-analytics'), fhirUser: 'Practitioner/owner', roles: ['analyst'] }],
    };
    const a = await createTestApp(buildTestConfig(file, { databaseUrl }));
    const b = await createTestApp(buildTestConfig(file, { databaseUrl }));
    try {
      const apps: TestApp[] = [a, b];
      let cards = 0;
      let overridden = 0;
      for (let i = 0; i < 8; i++) {
        const t = apps[i % 2] as TestApp;
        const path = `/cds-services/${SERVICE}`;
        const res = await request(t.server)
          .post(path)
          .set('Authorization', `Bearer ${await ehr.sign(`${TEST_PUBLIC_URL}${path}`)}`)
          .send({ ...FIXTURE, hookInstance: randomUUID() })
          .expect(200);
        const card = res.body.cards[0] as Card;
        cards += (res.body.cards as Card[]).length;
        const feedback = `${path}/feedback`;
        await request((apps[(i + 1) % 2] as TestApp).server)
          .post(feedback)
          .set('Authorization', `Bearer ${await ehr.sign(`${TEST_PUBLIC_URL}${feedback}`)}`)
          .send({ feedback: [{ card: card.uuid, outcome: 'overridden', overrideReason: { reason: card.overrideReasons?.[0] }, outcomeTimestamp: new Date().toISOString() }] })
          .expect(200);
        overridden++;
      }
      const token = (await dashboardToken(a, 'owner', 'pw-analytics')).access_token as string;
      const answers = await Promise.all(
        [a, b, a, b, a, b].map(async (t) => (await request(t.server).get('/analytics/v1/summary').set('Authorization', `Bearer ${token}`).expect(200)).body),
      );
      for (const summary of answers) {
        const [service] = summary.services;
        expect(service.invocations).toBe(8);
        expect(service.rules.reduce((n: number, r: { cards: number }) => n + r.cards, 0)).toBe(cards);
        expect(service.rules.reduce((n: number, r: { overridden: number }) => n + r.overridden, 0)).toBe(overridden);
        expect(service.rules.reduce((n: number, r: { ignored: number }) => n + r.ignored, 0)).toBe(cards - overridden);
      }
    } finally {
      await Promise.all([a.close(), b.close()]);
    }
  });
});

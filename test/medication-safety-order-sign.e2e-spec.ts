import request from 'supertest';
import type { Card } from '../src/cds/cds-types.js';
import { cardShapeProblems } from '../hooks/medication-safety/testing/card-shape.js';
import { FIXTURES } from '../hooks/medication-safety/testing/fixtures.js';
import { makeTestEhr, type TestEhr } from './helpers/ehr-jwt.js';
import { buildTestConfig, createTestApp, TEST_PUBLIC_URL, type TestApp } from './helpers/test-app.js';

// The medication-safety services as the real AppModule serves them (hooks/index.ts), called over
// HTTP the way an EHR does: JWT with aud = the exact service URL (cds-hooks.md §1.8).

describe('medication-safety over HTTP', () => {
  let t: TestApp;
  let ehr: TestEhr;
  beforeAll(async () => {
    ehr = await makeTestEhr();
    t = await createTestApp(buildTestConfig({ ehrs: [ehr.config()] }));
  });
  afterAll(() => t.close());

  const call = async (id: string, body: unknown) => {
    const path = `/cds-services/${id}`;
    const jwt = await ehr.sign(`${TEST_PUBLIC_URL}${path}`);
    return request(t.server).post(path).set('Authorization', `Bearer ${jwt}`).set('Content-Type', 'application/json').send(body as object);
  };

  it('D1 discovery lists the three medication-safety services with their prefetch templates', async () => {
    const path = '/cds-services';
    const res = await request(t.server).get(path).set('Authorization', `Bearer ${await ehr.sign(`${TEST_PUBLIC_URL}${path}`)}`);
    expect(res.status).toBe(200);
    const ours = res.body.services.filter((s: { id: string }) => s.id.startsWith('medication-safety-'));
    expect(ours.map((s: { id: string; hook: string }) => [s.id, s.hook])).toEqual([
      ['medication-safety-order-select', 'order-select'],
      ['medication-safety-order-sign', 'order-sign'],
      ['medication-safety-prescribe', 'medication-prescribe'],
    ]);
    expect(ours[1].prefetch.medicationRequests).toBe('MedicationRequest?patient={{context.patientId}}&status=active');
  });

  it('S1–S8 order-sign statin + macrolide answers a critical ONC #11 card that passes the card rules', async () => {
    const res = await call('medication-safety-order-sign', FIXTURES['not-ok']['order-sign-statin-macrolide']);
    expect(res.status).toBe(200);
    const cards = res.body.cards as Card[];
    expect(cards).toHaveLength(1);
    const [card] = cards;
    cards.forEach((c, i) => expect(cardShapeProblems(c, `cards[${i}]`)).toEqual([]));
    expect(card).toMatchObject({ indicator: 'critical', selectionBehavior: 'at-most-one', source: { topic: { code: 'onc-hp-ddi-11' } } });
    // The host assigns uuids (needed for feedback) and never puts the host-only `app` on the wire.
    expect(card!.uuid).toMatch(/^[0-9a-f-]{36}$/);
    expect(card!.suggestions!.every((s) => typeof s.uuid === 'string')).toBe(true);
    expect(card!.links!.every((l) => l.app === undefined)).toBe(true);
  });

  it('S2 the negative control answers 200 with no cards', async () => {
    const res = await call('medication-safety-order-sign', FIXTURES.ok['order-sign-negative-control-ibuprofen-simvastatin']);
    expect(res.status).toBe(200);
    expect(res.body.cards).toEqual([]);
  });

  // What `npm run ehr -- <scenario>` sends: every fixture, as-is, to the service of its hook.
  const scenarios = Object.entries(FIXTURES).flatMap(([kind, byName]) => Object.entries(byName).map(([name, body]) => ({ kind, name, body })));
  const serviceFor: Record<string, string> = {
    'order-select': 'medication-safety-order-select',
    'order-sign': 'medication-safety-order-sign',
    'medication-prescribe': 'medication-safety-prescribe',
  };

  it.each(scenarios)('S1 $kind/$name answers 200 with cards that pass the card rules', async ({ kind, body }) => {
    const res = await call(serviceFor[body.hook]!, body);
    expect(res.status).toBe(200);
    const cards = res.body.cards as Card[];
    expect(cards.length > 0).toBe(kind === 'not-ok');
    cards.forEach((c, i) => expect(cardShapeProblems(c, `cards[${i}]`)).toEqual([]));
  });

  it('P1 never answers 412: without the active-medication prefetch and no fhirServer it names the checks it could not perform', async () => {
    const { medicationRequests: _omit, ...prefetch } = FIXTURES['not-ok']['order-sign-statin-macrolide'].prefetch!;
    const res = await call('medication-safety-order-sign', { ...FIXTURES['not-ok']['order-sign-statin-macrolide'], prefetch });
    expect(res.status).toBe(200);
    expect((res.body.cards as Card[]).map((c) => [c.indicator, c.source.topic?.code])).toEqual([['warning', 'checks-not-performed']]);
  });
});

import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import request from 'supertest';
import type { Card, CdsResponse, Link } from '../src/cds/cds-types.js';
import { SecretsService } from '../src/signing/secrets.service.js';
import { signToken } from '../src/signing/url-signer.js';
import { emptyValuePaths } from './helpers/cds-assertions.js';
import { makeTestEhr, type TestEhr } from './helpers/ehr-jwt.js';
import { buildTestConfig, createTestApp, TEST_PUBLIC_URL, type TestApp } from './helpers/test-app.js';

// EHR-hosted launches (DESIGN.md flow 2, CDS Hooks §Link `smart`): with `hooks.medication-safety.appLaunch:
// ehr` the card's app link is a `smart` link whose appContext is an opaque handle the launched app redeems.
const FIXTURE = JSON.parse(readFileSync(new URL('../hooks/medication-safety/fixtures/not-ok/order-sign-statin-macrolide.json', import.meta.url), 'utf8'));
const SERVICE = 'medication-safety-order-sign';
const LAUNCH_URL = `${TEST_PUBLIC_URL}/apps/medication-review/launch.html`;
const LINK_LIFETIME = 600;

const smartLink = (card: Card): Link | undefined => card.links?.find((l) => l.type === 'smart');

function expectInvalidToken(res: request.Response, description: RegExp): void {
  expect(res.status).toBe(401);
  expect(res.headers['www-authenticate']).toBe('Bearer error="invalid_token"');
  expect(res.headers['cache-control']).toBe('no-store');
  expect(res.body.error).toBe('invalid_token');
  expect(res.body.error_description).toMatch(description);
}

describe('smart links for EHR-hosted apps', () => {
  let t: TestApp;
  let ehr: TestEhr;

  async function call(hookInstance = randomUUID()): Promise<CdsResponse> {
    const path = `/cds-services/${SERVICE}`;
    const res = await request(t.server)
      .post(path)
      .set('Authorization', `Bearer ${await ehr.sign(`${TEST_PUBLIC_URL}${path}`)}`)
      .send({ ...FIXTURE, hookInstance })
      .expect(200);
    return res.body as CdsResponse;
  }

  const redeem = (handle: string) => request(t.server).post('/cds-links/app-context').set('Authorization', `Bearer ${handle}`);

  beforeAll(async () => {
    ehr = await makeTestEhr();
    const config = buildTestConfig({
      ehrs: [ehr.config()],
      hooks: { 'medication-safety': { appLaunch: 'ehr' } },
      lifetimes: { launch: 300, code: 60, accessToken: 3600, backendAccessToken: 300, refreshToken: 86_400, link: LINK_LIFETIME, feedbackUrl: 3600, override: 300 },
    });
    t = await createTestApp(config);
  });
  afterAll(() => t.close());
  afterEach(() => vi.useRealTimers());

  it('cds-resp-3 emits a smart link to the app\'s launch URL with an opaque appContext: no PHI, no card text, no host-only field', async () => {
    const { cards } = await call();
    expect(emptyValuePaths(cards)).toEqual([]);
    const critical = cards.find((c) => c.indicator === 'critical') as Card;
    const link = smartLink(critical) as Link;
    expect(link).toMatchObject({ type: 'smart', url: LAUNCH_URL, label: 'Review medications in Medication Review' });
    expect(link).not.toHaveProperty('app');
    expect(typeof link.appContext).toBe('string');
    for (const secret of [FIXTURE.context.patientId, FIXTURE.context.userId, critical.summary, 'simvastatin']) {
      expect(link.appContext).not.toContain(secret);
      expect(Buffer.from((link.appContext as string).split('.')[0] as string, 'base64url').toString()).not.toContain(secret);
    }
    // The other links (the reference) stay as the service wrote them; no click-through link is made.
    expect(critical.links?.some((l) => l.url.startsWith(`${TEST_PUBLIC_URL}/cds-links/`))).toBe(false);
  });

  it('redeems the appContext once for the card\'s context: summary, findings, suggested alternatives', async () => {
    const { cards } = await call();
    const card = cards.find((c) => c.indicator === 'critical') as Card;
    const handle = smartLink(card)?.appContext as string;
    const first = await redeem(handle).expect(200);
    expect(first.headers['cache-control']).toBe('no-store');
    expect(first.body).toEqual({
      service: SERVICE,
      hookInstance: expect.any(String),
      card: card.uuid,
      summary: card.summary,
      indicator: 'critical',
      findings: card.detail,
      source: card.source,
      suggestions: (card.suggestions ?? []).map((s) => ({ uuid: s.uuid, label: s.label, ...(s.isRecommended === undefined ? {} : { isRecommended: s.isRecommended }) })),
    });
    expect(first.body.suggestions.length).toBeGreaterThan(0);
    expectInvalidToken(await redeem(handle), /already redeemed/);
  });

  it('refuses a tampered handle, a missing one and one not for this endpoint', async () => {
    const { cards } = await call();
    const handle = smartLink(cards[0] as Card)?.appContext as string;
    const [payload, mac] = handle.split('.') as [string, string];
    const flipped = `${payload}.${mac.slice(0, -1)}${mac.endsWith('A') ? 'B' : 'A'}`;
    expectInvalidToken(await redeem(flipped), /not valid/);
    const claims = JSON.parse(Buffer.from(payload, 'base64url').toString());
    expectInvalidToken(await redeem(`${Buffer.from(JSON.stringify({ ...claims, c: 'other-card' })).toString('base64url')}.${mac}`), /not valid/);
    expectInvalidToken(await request(t.server).post('/cds-links/app-context'), /Bearer <appContext>/);
    // A card link token is signed for another kind and never redeems as an appContext.
    const secret = await t.app.get(SecretsService).secret('card-links');
    expectInvalidToken(await redeem(signToken(secret, 'link', claims)), /not valid/);
    // Still redeemable by the real handle afterwards: refusals spend nothing.
    await redeem(handle).expect(200);
  });

  it('refuses a handle signed for another hookInstance than its card\'s', async () => {
    const a = await call();
    const b = await call();
    const handle = smartLink(a.cards[0] as Card)?.appContext as string;
    const claims = JSON.parse(Buffer.from(handle.split('.')[0] as string, 'base64url').toString());
    const otherHandle = smartLink(b.cards[0] as Card)?.appContext as string;
    const other = JSON.parse(Buffer.from(otherHandle.split('.')[0] as string, 'base64url').toString());
    expect(other.h).not.toBe(claims.h);
    const secret = await t.app.get(SecretsService).secret('app-context');
    expectInvalidToken(await redeem(signToken(secret, 'app-context', { ...claims, h: other.h })), /already redeemed or is not valid/);
    await redeem(handle).expect(200);
  });

  it('lets the registered apps\' origins redeem from the browser (CORS), no other origin', async () => {
    const ok = await request(t.server)
      .options('/cds-links/app-context')
      .set('Origin', TEST_PUBLIC_URL)
      .set('Access-Control-Request-Method', 'POST')
      .set('Access-Control-Request-Headers', 'authorization')
      .expect(204);
    expect(ok.headers['access-control-allow-origin']).toBe(TEST_PUBLIC_URL);
    expect(ok.headers['access-control-allow-headers']).toBe('Authorization');
    const other = await request(t.server).options('/cds-links/app-context').set('Origin', 'https://evil.test').set('Access-Control-Request-Method', 'POST').expect(204);
    expect(other.headers['access-control-allow-origin']).toBeUndefined();
  });

  it('refuses an expired handle (frozen clock past lifetimes.link)', async () => {
    vi.useFakeTimers({ toFake: ['Date'] });
    const { cards } = await call();
    const handle = smartLink(cards[0] as Card)?.appContext as string;
    vi.setSystemTime(Date.now() + (LINK_LIFETIME + 1) * 1000);
    expectInvalidToken(await redeem(handle), /expired/);
  });
});

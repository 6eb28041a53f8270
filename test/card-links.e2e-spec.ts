import { randomUUID, createHash, randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import request from 'supertest';
import type { Card, CdsResponse } from '../src/cds/cds-types.js';
import { AccessTokenVerifier } from '../src/smart/access-token.verifier.js';
import { HousekeepingService } from '../src/smart/housekeeping.service.js';
import { DATABASE, type Database } from '../src/store/database.js';
import { makeTestEhr, type TestEhr } from './helpers/ehr-jwt.js';
import { authorizeBundledApp, expectRedirectError, redeemBundledApp } from './helpers/smart-harness.js';
import { buildTestConfig, createTestApp, TEST_PUBLIC_URL, type TestApp } from './helpers/test-app.js';

// Card app links are signed click-through URLs that mint a fresh single-use launch per click
// (DESIGN.md flow 2), and each card carries a signed feedback URL (flow 6).
const FIXTURE = JSON.parse(readFileSync(new URL('../hooks/medication-safety/fixtures/not-ok/order-sign-statin-macrolide.json', import.meta.url), 'utf8'));
const SERVICE = 'medication-safety-order-sign';
const FHIR_BASE = `${TEST_PUBLIC_URL}/fhir`;
const LAUNCH_URL = `${TEST_PUBLIC_URL}/apps/medication-review/launch.html`;
const REDIRECT = `${TEST_PUBLIC_URL}/apps/medication-review/index.html`;
const LINK_LIFETIME = 600;
const HOOK_INSTANCE = randomUUID();

const appLink = (card: Card) => card.links?.find((l) => l.url.startsWith(`${TEST_PUBLIC_URL}/cds-links/`));
const pathOf = (url: string) => new URL(url).pathname;
const after = (seconds: number) => new Date(Date.now() + seconds * 1000);

describe('card links and feedback URLs', () => {
  let t: TestApp;
  let ehr: TestEhr;
  let cards: Card[];

  async function call(body: unknown): Promise<CdsResponse> {
    const path = `/cds-services/${SERVICE}`;
    const res = await request(t.server)
      .post(path)
      .set('Authorization', `Bearer ${await ehr.sign(`${TEST_PUBLIC_URL}${path}`)}`)
      .send(body as object)
      .expect(200);
    return res.body as CdsResponse;
  }

  /** The first card of a call of the fixture as `hookInstance`. */
  async function cardOf(hookInstance: string): Promise<Card> {
    return (await call({ ...FIXTURE, hookInstance })).cards[0] as Card;
  }

  beforeAll(async () => {
    ehr = await makeTestEhr();
    const config = buildTestConfig({
      ehrs: [ehr.config()],
      lifetimes: { launch: 300, code: 60, accessToken: 3600, backendAccessToken: 300, refreshToken: 86_400, link: LINK_LIFETIME, feedbackUrl: 3600, override: 300 },
      smartClients: [
        {
          clientId: 'medication-review',
          name: 'Medication Review',
          launchUrl: LAUNCH_URL,
          redirectUris: [REDIRECT],
          scope: 'launch openid fhirUser patient/Patient.rs patient/MedicationRequest.rs patient/AllergyIntolerance.rs',
          autoApprove: true,
        },
      ],
    });
    t = await createTestApp(config);
    cards = (await call({ ...FIXTURE, hookInstance: HOOK_INSTANCE })).cards;
  });
  afterAll(() => t.close());
  afterEach(() => vi.useRealTimers());

  it('turns the service app link into an absolute Hookwarden URL that carries no PHI and no host-only field', () => {
    const critical = cards.find((c) => c.indicator === 'critical') as Card;
    const link = appLink(critical);
    expect(link).toMatchObject({ type: 'absolute' });
    expect(link).not.toHaveProperty('app');
    expect(link).not.toHaveProperty('appContext');
    expect(link?.url).not.toContain(FIXTURE.context.patientId);
    expect(link?.url).not.toContain('Practitioner');
  });

  it('A16 follows the app link with one 303 to the registered launch URL only, minting a fresh launch on every click', async () => {
    const url = appLink(cards[0] as Card)?.url as string;
    const first = await request(t.server).get(pathOf(url)).expect(303);
    const second = await request(t.server).get(pathOf(url)).expect(303);
    const [a, b] = [new URL(first.headers.location as string), new URL(second.headers.location as string)];
    expect(`${a.origin}${a.pathname}`).toBe(LAUNCH_URL);
    expect(a.searchParams.get('iss')).toBe(FHIR_BASE);
    expect(a.searchParams.get('launch')).toMatch(/^[A-Za-z0-9_-]{43,}$/);
    expect(b.searchParams.get('launch')).not.toBe(a.searchParams.get('launch'));
    expect(first.headers['cache-control']).toBe('no-store');
  });

  /** Follows the card's app link, authorizes with its launch (PKCE) and redeems the code. */
  async function launchFromCard(card: Card): Promise<{ launch: string; verifier: string; token: Record<string, string> }> {
    const location = (await request(t.server).get(pathOf(appLink(card)?.url as string)).expect(303)).headers.location as string;
    const launch = new URL(location).searchParams.get('launch') as string;
    const { code, verifier } = await authorizeBundledApp(t.server, launch, FHIR_BASE, REDIRECT);
    expect(code).toBeTruthy();
    const token = await redeemBundledApp(t.server, code, verifier, REDIRECT).expect(200);
    return { launch, verifier, token: token.body as Record<string, string> };
  }

  it('launches the app into the hook context: the token carries the patient and /fhir serves the call snapshot', async () => {
    const { launch, token } = await launchFromCard(cards[0] as Card);
    expect(token.patient).toBe(FIXTURE.context.patientId);
    // The card's appContext reached the app through the token response, never through a URL.
    expect(JSON.parse(token.appContext as string)).toMatchObject({ summary: (cards[0] as Card).summary });
    const meds = await request(t.server)
      .get('/fhir/MedicationRequest')
      .query({ patient: FIXTURE.context.patientId })
      .set('Authorization', `Bearer ${token.access_token}`)
      .expect(200);
    const ids = (meds.body.entry as { resource: { id: string } }[]).map((e) => e.resource.id).sort();
    const expected = [...FIXTURE.context.draftOrders.entry, ...FIXTURE.prefetch.medicationRequests.entry].map((e: { resource: { id: string } }) => e.resource.id).sort();
    expect(ids).toEqual(expected);

    // Replaying the consumed launch yields no code. A fresh PKCE challenge, so that the launch check (not A18) refuses it.
    const replay = await request(t.server)
      .get('/auth/authorize')
      .query({
        response_type: 'code',
        client_id: 'medication-review',
        redirect_uri: REDIRECT,
        scope: 'launch patient/MedicationRequest.rs',
        state: 'st2',
        aud: FHIR_BASE,
        launch,
        code_challenge: createHash('sha256').update(randomBytes(32).toString('base64url')).digest('base64url'),
        code_challenge_method: 'S256',
      });
    expect(replay.status).toBe(303);
    expectRedirectError(replay.headers.location, 'invalid_request', 'launch is unknown, expired or already used');
    expect(new URL(replay.headers.location as string).searchParams.get('state')).toBe('st2');
  });

  it('records in the grant which service card launched the app, so /fhir can apply that service write rules', async () => {
    const { token } = await launchFromCard(cards[0] as Card);
    const active = await t.app.get(AccessTokenVerifier).verify(token.access_token as string);
    expect(active?.grant.context).toMatchObject({ kind: 'ehr', serviceId: SERVICE, hookInstance: HOOK_INSTANCE, partition: HOOK_INSTANCE });
  });

  it('housekeeping purges expired links, old click events and the launch snapshots no grant can still need', async () => {
    const db = t.app.get<Database>(DATABASE);
    const { lifetimes } = t.config;
    const [unclicked, launched, read] = [randomUUID(), randomUUID(), randomUUID()];
    await cardOf(unclicked);
    await launchFromCard(await cardOf(launched));
    const { token } = await launchFromCard(await cardOf(read));
    await request(t.server).get('/fhir/MedicationRequest').set('Authorization', `Bearer ${token.access_token}`).expect(200);
    const count = async (sql: string) => (await db.query<{ n: number }>(`SELECT count(*)::int AS n FROM ${sql}`, [[unclicked, launched, read]]))[0]?.n;
    const snapshots = async () =>
      (await db.query<{ hook_instance: string }>('SELECT hook_instance FROM launch_snapshots WHERE hook_instance = ANY($1::text[])', [[unclicked, launched, read]]))
        .map((r) => r.hook_instance)
        .sort();
    const links = () => count('card_links WHERE hook_instance = ANY($1::text[])');
    const events = () => count('link_events WHERE hook_instance = ANY($1::text[])');
    const housekeeping = t.app.get(HousekeepingService);

    await housekeeping.purge(after(LINK_LIFETIME - 60));
    expect(await snapshots()).toEqual([unclicked, launched, read].sort());
    expect(await links()).toBeGreaterThan(0);

    // Past every link and the launches minted from them: the unclicked call and the one /fhir copied go.
    await housekeeping.purge(after(lifetimes.link + lifetimes.launch + 1));
    expect(await snapshots()).toEqual([launched]);
    expect(await links()).toBe(0);
    expect(await events()).toBe(2);

    // A redeemed launch's grant may first read the snapshot as long as its tokens live, not longer.
    await housekeeping.purge(after(lifetimes.link + lifetimes.launch + lifetimes.refreshToken - 60));
    expect(await snapshots()).toEqual([launched]);
    await housekeeping.purge(after(lifetimes.link + lifetimes.launch + lifetimes.refreshToken + 1));
    expect(await snapshots()).toEqual([]);

    // Click events are analytics raw data: kept analytics.retentionDays (90 by default), then deleted.
    const retention = t.config.analytics.retentionDays * 24 * 3600;
    expect(retention).toBe(90 * 24 * 3600);
    await housekeeping.purge(after(retention - 60));
    expect(await events()).toBe(2);
    await housekeeping.purge(after(retention + 1));
    expect(await events()).toBe(0);
  });

  it('answers a link with any single byte changed with a 403 HTML page and no redirect', async () => {
    const path = pathOf(appLink(cards[0] as Card)?.url as string);
    const token = path.split('/').pop() as string;
    for (const i of [0, Math.floor(token.length / 2), token.length - 1]) {
      const c = token[i] as string;
      const tampered = token.slice(0, i) + (c === 'A' ? 'B' : 'A') + token.slice(i + 1);
      const res = await request(t.server).get(`/cds-links/${tampered}`).expect(403);
      expect(res.headers.location).toBeUndefined();
      expect(res.headers['content-type']).toMatch(/text\/html/);
      expect(res.headers['x-frame-options']).toBe('DENY');
      expect(res.headers['cache-control']).toBe('no-store');
      expect(res.text).not.toMatch(/at .*\.ts:|Error:/);
    }
    await request(t.server).get('/cds-links/not-a-token').expect(403);
  });

  it('answers an expired link with a 410 HTML page (clock frozen past the link lifetime)', async () => {
    const path = pathOf(appLink(cards[0] as Card)?.url as string);
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(Date.now() + (LINK_LIFETIME + 1) * 1000);
    const res = await request(t.server).get(path).expect(410);
    expect(res.headers.location).toBeUndefined();
    expect(res.text).toMatch(/expired/i);
  });

  it('accepts spec-shaped feedback at the card signed feedback URL without a JWT, idempotently, for that card only', async () => {
    // A fresh call: the retention test above has purged the first call's cards as raw analytics events.
    const fresh = (await call({ ...FIXTURE, hookInstance: randomUUID() })).cards;
    const card = fresh[0] as Card;
    const url = (card as { extension?: Record<string, string> }).extension?.['dev.hookwarden.feedback-url'] as string;
    expect(url).toMatch(`${TEST_PUBLIC_URL}/cds-feedback/`);
    const item = {
      card: card.uuid,
      outcome: 'overridden',
      overrideReason: { reason: card.overrideReasons?.[0], userComment: 'monitoring CK' },
      outcomeTimestamp: '2026-11-23T10:00:00Z',
    };
    await request(t.server).post(pathOf(url)).send({ feedback: [item] }).expect(200, {});
    await request(t.server).post(pathOf(url)).send({ feedback: [item] }).expect(200, {});
    const db = t.app.get<Database>(DATABASE);
    const rows = await db.query<{ channel: string; service_id: string }>('SELECT channel, service_id FROM cds_feedback WHERE card_uuid = $1', [card.uuid]);
    expect(rows).toEqual([{ channel: 'signed-url', service_id: SERVICE }]);

    const other = await request(t.server).post(pathOf(url)).send({ feedback: [{ ...item, card: fresh[1]?.uuid ?? randomUUID() }] }).expect(400);
    expect(other.body.resourceType).toBe('OperationOutcome');
    const token = pathOf(url).split('/').pop() as string;
    const forged = await request(t.server).post(`/cds-feedback/${token.slice(0, -1)}${token.endsWith('A') ? 'B' : 'A'}`).send({ feedback: [item] }).expect(403);
    expect(forged.body.resourceType).toBe('OperationOutcome');
    // A link token is not a feedback token.
    await request(t.server).post(`/cds-feedback/${pathOf(appLink(card)?.url as string).split('/').pop()}`).send({ feedback: [item] }).expect(403);
  });
});

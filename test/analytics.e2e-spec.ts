import { randomUUID } from 'node:crypto';
import request from 'supertest';
import type { Card } from '../src/cds/cds-types.js';
import type { AppConfig } from '../src/config/app-config.js';
import { hashPasswordSync } from '../src/config/demo.js';
import { HousekeepingService } from '../src/smart/housekeeping.service.js';
import { DATABASE, type Database } from '../src/store/database.js';
import { dashboardToken, hookCall, notOkBody, parseCsv } from './helpers/analytics.js';
import { makeTestEhr, type TestEhr } from './helpers/ehr-jwt.js';
import { freshPostgresDatabase, TEST_PG_URL } from './helpers/postgres.js';
import { authorizeBundledApp, type ClientKey, clientAssertion, makeClientKey, redeemBundledApp } from './helpers/smart-harness.js';
import { buildTestConfig, createTestApp, TEST_PUBLIC_URL, type TestApp } from './helpers/test-app.js';

// DESIGN.md §Analytics contract (flow 6): activity generated through the real endpoints, then the
// exact aggregates of the summary and the time series, JSON and CSV, and who may read them.
const SERVICE = 'medication-safety-order-sign';
const LAUNCH_URL = `${TEST_PUBLIC_URL}/apps/medication-review/launch.html`;
const REDIRECT = `${TEST_PUBLIC_URL}/apps/medication-review/index.html`;
const PASSWORD = 'analytics-pass';
/** Frozen: every event of the suite falls in the 10:00 UTC hour of this day. */
const NOW = new Date('2026-03-02T10:15:00Z');
const DAY = { from: '2026-03-02T00:00:00Z', to: '2026-03-03T00:00:00Z' };
const FEEDBACK_URL_EXTENSION = 'dev.hookwarden.feedback-url';

const pathOf = (url: string) => new URL(url).pathname;
const appLink = (card: Card) => card.links?.find((l) => l.url.startsWith(`${TEST_PUBLIC_URL}/cds-links/`))?.url as string;
/** medication-safety names each card's rule in `source.topic` too (pinned in its service spec). */
const ruleOf = (card: Card) => card.source.topic?.code as string;
/** A JSON value as its CSV cell. */
const str = (v: unknown) => (v === null ? '' : String(v));

interface ExpectedRule {
  rule: string;
  cards: number;
  accepted: number;
  overridden: number;
  withFeedback: Set<string>;
  reasons: Map<string, { code: string; display: string | null; count: number }>;
  linkClicks: number;
  launches: { minted: number; authorized: number; tokenIssued: number };
  overrides: { requested: number; approved: number; denied: number; used: number };
}

function analyticsSuite(label: string, env: () => Promise<Partial<AppConfig>>): void {
  describe(label, () => {
    let t: TestApp;
    let ehr: TestEhr;
    let analyst: string;
    let backendKey: ClientKey;
    const expected = new Map<string, ExpectedRule>();
    const rule = (id: string): ExpectedRule => {
      if (!expected.has(id)) {
        expected.set(id, {
          rule: id,
          cards: 0,
          accepted: 0,
          overridden: 0,
          withFeedback: new Set(),
          reasons: new Map(),
          linkClicks: 0,
          launches: { minted: 0, authorized: 0, tokenIssued: 0 },
          overrides: { requested: 0, approved: 0, denied: 0, used: 0 },
        });
      }
      return expected.get(id) as ExpectedRule;
    };
    let calls = 0;

    async function call(name: string): Promise<Card[]> {
      const cards = await hookCall(t, ehr, SERVICE, name);
      calls++;
      for (const c of cards) rule(ruleOf(c)).cards++;
      return cards;
    }

    async function feedbackByJwt(item: Record<string, unknown>): Promise<void> {
      const path = `/cds-services/${SERVICE}/feedback`;
      await request(t.server)
        .post(path)
        .set('Authorization', `Bearer ${await ehr.sign(`${TEST_PUBLIC_URL}${path}`)}`)
        .send({ feedback: [item] })
        .expect(200);
    }

    function countFeedback(card: Card, outcome: 'accepted' | 'overridden', reason?: { code: string; display?: string }): void {
      const r = rule(ruleOf(card));
      r[outcome]++;
      r.withFeedback.add(card.uuid as string);
      if (reason) {
        const seen = r.reasons.get(reason.code) ?? { code: reason.code, display: reason.display ?? null, count: 0 };
        seen.count++;
        r.reasons.set(reason.code, seen);
      }
    }

    /** A click on the card's app link; with `complete`, the app authorizes with the launch and redeems the code. */
    async function click(card: Card, complete: boolean): Promise<void> {
      const location = (await request(t.server).get(pathOf(appLink(card))).expect(303)).headers.location as string;
      const r = rule(ruleOf(card));
      r.linkClicks++;
      r.launches.minted++;
      if (!complete) return;
      const { code, verifier } = await authorizeBundledApp(t.server, new URL(location).searchParams.get('launch') as string, `${TEST_PUBLIC_URL}/fhir`, REDIRECT);
      r.launches.authorized++;
      await redeemBundledApp(t.server, code, verifier, REDIRECT).expect(200);
      r.launches.tokenIssued++;
    }

    /** Override events as the step-up override flow records them (its own suite covers how). */
    async function overrideEvent(ruleId: string, event: 'requested' | 'approved' | 'denied' | 'used' | 'refused'): Promise<void> {
      await t.app
        .get<Database>(DATABASE)
        .query(
          `INSERT INTO override_events (at, event, service_id, rule, level, client_id, user_ref, grant_id, override_jti)
           VALUES ($1, $2, $3, $4, 'reauthenticate', 'medication-review', 'Practitioner/p1', $5, $6)`,
          [NOW, event, SERVICE, ruleId, randomUUID(), randomUUID()],
        );
      if (event !== 'refused') rule(ruleId).overrides[event]++;
    }

    /** A client_credentials token request (SMART backend-services.md) for `analytics.read`. */
    const backend = async (clientId: string) =>
      request(t.server)
        .post('/auth/token')
        .type('form')
        .send({
          grant_type: 'client_credentials',
          scope: 'analytics.read',
          client_assertion_type: 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer',
          client_assertion: await clientAssertion(clientId, backendKey),
        });

    const get = (path: string, token: string = analyst) => request(t.server).get(path).set('Authorization', `Bearer ${token}`);

    function expectedRules(): Record<string, unknown>[] {
      return [...expected.values()]
        .sort((a, b) => (a.rule < b.rule ? -1 : 1))
        .map((r) => ({
          rule: r.rule,
          cards: r.cards,
          accepted: r.accepted,
          overridden: r.overridden,
          ignored: r.cards - r.withFeedback.size,
          acceptanceRate: r.cards === 0 ? null : r.accepted / r.cards,
          overrideRate: r.cards === 0 ? null : r.overridden / r.cards,
          overrideReasons: [...r.reasons.values()].sort((a, b) => b.count - a.count || (a.code < b.code ? -1 : 1)),
          linkClicks: r.linkClicks,
          launches: r.launches,
          overrides: r.overrides,
        }));
    }

    beforeAll(async () => {
      vi.useFakeTimers({ toFake: ['Date'], now: NOW });
      ehr = await makeTestEhr();
      backendKey = await makeClientKey();
      const hash = hashPasswordSync(PASSWORD);
      const config = buildTestConfig(
        {
          ehrs: [ehr.config()],
          users: [
            { username: 'owner', passwordHash: hash, fhirUser: 'Practitioner/owner', roles: ['analyst'] },
            { username: 'doc', passwordHash: hash, fhirUser: 'Practitioner/doc', roles: ['clinician'] },
          ],
          // Counts clicks as the click-through endpoint records them; who may launch is card-launch-binding's subject.
          links: { userBinding: false },
          smartClients: [
            {
              clientId: 'medication-review',
              name: 'Medication Review',
              launchUrl: LAUNCH_URL,
              redirectUris: [REDIRECT],
              scope: 'launch openid fhirUser patient/Patient.rs patient/MedicationRequest.rs patient/AllergyIntolerance.rs',
              autoApprove: true,
            },
            { clientId: 'bi-tool', name: 'BI tool', scope: 'analytics.read', auth: 'private_key_jwt', jwks: { keys: [backendKey.publicJwk] } },
            { clientId: 'other-backend', name: 'Other backend', scope: 'system/Patient.rs', auth: 'private_key_jwt', jwks: { keys: [backendKey.publicJwk] } },
          ],
        },
        await env(),
      );
      t = await createTestApp(config);
      analyst = (await dashboardToken(t, 'owner', PASSWORD)).access_token as string;

      const statinA = await call('order-sign-statin-macrolide');
      const statinB = await call('order-sign-statin-macrolide');
      const allergy = await call('order-sign-drug-allergy');
      await call('order-sign-duplicate-therapy');

      // Feedback by JWT: one accepted suggestion, one override with a coded reason and a comment.
      const [a, b, c] = [statinA[0], statinB[0], allergy[0]] as Card[];
      await feedbackByJwt({ card: a.uuid, outcome: 'accepted', acceptedSuggestions: [{ id: a.suggestions?.[0]?.uuid }], outcomeTimestamp: '2026-03-02T10:16:00Z' });
      countFeedback(a, 'accepted');
      const reasonB = b.overrideReasons?.[0] as { code: string; display?: string };
      await feedbackByJwt({ card: b.uuid, outcome: 'overridden', overrideReason: { reason: reasonB, userComment: 'patient Jane Doe tolerates it' }, outcomeTimestamp: '2026-03-02T10:17:00Z' });
      countFeedback(b, 'overridden', reasonB);
      // Feedback by the card's signed URL (no JWT).
      const reasonC = c.overrideReasons?.[1] as { code: string; display?: string };
      await request(t.server)
        .post(pathOf((c.extension as Record<string, string>)[FEEDBACK_URL_EXTENSION]))
        .send({ feedback: [{ card: c.uuid, outcome: 'overridden', overrideReason: { reason: reasonC }, outcomeTimestamp: '2026-03-02T10:18:00Z' }] })
        .expect(200);
      countFeedback(c, 'overridden', reasonC);

      // Clicks: one launch followed to a token, one abandoned after the click.
      await click(a, true);
      await click(b, false);
      await click(c, true);

      for (const e of ['requested', 'requested', 'approved', 'denied', 'used', 'refused'] as const) await overrideEvent(ruleOf(c), e);
    });
    afterAll(async () => {
      vi.useRealTimers();
      await t?.close();
    });

    it('summary: the exact per-service and per-rule aggregates, DESIGN field names', async () => {
      const res = await get(`/analytics/v1/summary?from=${DAY.from}&to=${DAY.to}`).expect(200);
      expect(res.headers['cache-control']).toBe('no-store');
      expect(res.body.from).toBe('2026-03-02T00:00:00.000Z');
      expect(res.body.to).toBe('2026-03-03T00:00:00.000Z');
      expect(res.body.services).toHaveLength(1);
      const [service] = res.body.services;
      expect(Object.keys(service).sort()).toEqual(['errors', 'invocations', 'latencyMs', 'prefetchDropped', 'rules', 'service']);
      expect(service).toMatchObject({ service: SERVICE, invocations: calls, errors: 0, prefetchDropped: 0 });
      const { p50, p95, p99 } = service.latencyMs;
      expect(p50).toBeGreaterThan(0);
      expect(p95).toBeGreaterThanOrEqual(p50);
      expect(p99).toBeGreaterThanOrEqual(p95);
      expect(service.rules).toEqual(expectedRules());
      // Sanity of the fixture itself: every kind of event happened.
      const allergyRule = service.rules.find((r: { rule: string }) => r.rule === 'drug-allergy');
      expect(allergyRule).toMatchObject({ overridden: 1, overrides: { requested: 2, approved: 1, denied: 1, used: 1 }, launches: { minted: 1, authorized: 1, tokenIssued: 1 } });
      expect(service.rules.some((r: { ignored: number }) => r.ignored > 0)).toBe(true);
    });

    it('summary: the default range is the last 30 days; ?service= narrows, an unknown service is empty', async () => {
      const all = await get('/analytics/v1/summary').expect(200);
      expect(all.body.to).toBe(NOW.toISOString());
      expect(all.body.from).toBe(new Date(NOW.getTime() - 30 * 86_400_000).toISOString());
      expect(all.body.services[0].rules).toEqual(expectedRules());
      expect((await get(`/analytics/v1/summary?service=${SERVICE}`).expect(200)).body.services).toHaveLength(1);
      expect((await get('/analytics/v1/summary?service=nope').expect(200)).body.services).toEqual([]);
      expect((await get('/analytics/v1/summary?from=2026-03-03T00:00:00Z&to=2026-03-04T00:00:00Z').expect(200)).body.services).toEqual([]);
    });

    it('timeseries: hour buckets of the range, the activity in the 10:00 bucket, zeros elsewhere', async () => {
      const res = await get('/analytics/v1/timeseries?bucket=hour&from=2026-03-02T08:00:00Z&to=2026-03-02T12:00:00Z').expect(200);
      const rules = expectedRules() as { cards: number; accepted: number; overridden: number; linkClicks: number }[];
      const sum = (k: 'cards' | 'accepted' | 'overridden' | 'linkClicks') => rules.reduce((n, r) => n + r[k], 0);
      const zero = { invocations: 0, cards: 0, accepted: 0, overridden: 0, linkClicks: 0 };
      expect(res.body).toEqual({
        buckets: [
          { start: '2026-03-02T08:00:00.000Z', ...zero },
          { start: '2026-03-02T09:00:00.000Z', ...zero },
          { start: '2026-03-02T10:00:00.000Z', invocations: calls, cards: sum('cards'), accepted: sum('accepted'), overridden: sum('overridden'), linkClicks: sum('linkClicks') },
          { start: '2026-03-02T11:00:00.000Z', ...zero },
        ],
      });
    });

    it('timeseries: day buckets, filtered by rule (calls stay the service’s)', async () => {
      const res = await get(`/analytics/v1/timeseries?bucket=day&rule=drug-allergy&from=${DAY.from}&to=${DAY.to}`).expect(200);
      const r = expected.get('drug-allergy') as ExpectedRule;
      expect(res.body.buckets).toEqual([{ start: '2026-03-02T00:00:00.000Z', invocations: calls, cards: r.cards, accepted: r.accepted, overridden: r.overridden, linkClicks: r.linkClicks }]);
    });

    it('CSV (Accept: text/csv or ?format=csv) answers the same rows as JSON', async () => {
      const json = (await get(`/analytics/v1/summary?from=${DAY.from}&to=${DAY.to}`).expect(200)).body;
      const byAccept = await get(`/analytics/v1/summary?from=${DAY.from}&to=${DAY.to}`).set('Accept', 'text/csv').expect(200);
      const byQuery = await get(`/analytics/v1/summary?from=${DAY.from}&to=${DAY.to}&format=csv`).expect(200);
      expect(byAccept.headers['content-type']).toMatch(/^text\/csv/);
      expect(byAccept.headers['content-disposition']).toBe('attachment; filename="summary.csv"');
      expect(byQuery.text).toBe(byAccept.text);
      const s = json.services[0];
      expect(parseCsv(byAccept.text)).toEqual(
        s.rules.map((r: Record<string, never> & { overrideReasons: { code: string; count: number }[]; launches: Record<string, number>; overrides: Record<string, number> }) => ({
          service: s.service,
          invocations: str(s.invocations),
          errors: str(s.errors),
          prefetchDropped: str(s.prefetchDropped),
          'latencyMs.p50': str(s.latencyMs.p50),
          'latencyMs.p95': str(s.latencyMs.p95),
          'latencyMs.p99': str(s.latencyMs.p99),
          rule: r.rule,
          cards: str(r.cards),
          accepted: str(r.accepted),
          overridden: str(r.overridden),
          ignored: str(r.ignored),
          acceptanceRate: str(r.acceptanceRate),
          overrideRate: str(r.overrideRate),
          overrideReasons: r.overrideReasons.map((x) => `${x.code}=${x.count}`).join(';'),
          linkClicks: str(r.linkClicks),
          'launches.minted': str(r.launches.minted),
          'launches.authorized': str(r.launches.authorized),
          'launches.tokenIssued': str(r.launches.tokenIssued),
          'overrides.requested': str(r.overrides.requested),
          'overrides.approved': str(r.overrides.approved),
          'overrides.denied': str(r.overrides.denied),
          'overrides.used': str(r.overrides.used),
        })),
      );
      const series = (await get('/analytics/v1/timeseries?bucket=hour&from=2026-03-02T09:00:00Z&to=2026-03-02T11:00:00Z').expect(200)).body.buckets;
      const csv = await get('/analytics/v1/timeseries?bucket=hour&from=2026-03-02T09:00:00Z&to=2026-03-02T11:00:00Z&format=csv').expect(200);
      expect(parseCsv(csv.text)).toEqual(series.map((b: Record<string, unknown>) => Object.fromEntries(Object.entries(b).map(([k, v]) => [k, String(v)]))));
    });

    it('stores no patient, user or hookInstance id and no override comment in the rollups', async () => {
      const db = t.app.get<Database>(DATABASE);
      const dump = JSON.stringify(
        await Promise.all(
          ['analytics_service_hours', 'analytics_latency_hours', 'analytics_rule_hours', 'analytics_reason_hours'].map((table) => db.query(`SELECT * FROM ${table}`)),
        ),
      );
      const patientId = notOkBody('order-sign-statin-macrolide').context.patientId;
      for (const secret of [patientId, 'Practitioner', 'Jane Doe', 'owner']) expect(dump).not.toContain(secret);
    });

    it('401 without a token or with one this server did not issue (RFC 6750 §3.1 invalid_token)', async () => {
      const none = await request(t.server).get('/analytics/v1/summary').expect(401);
      expect(none.body).toEqual({ error: 'invalid_token', error_description: 'a valid, unexpired access token of this server is required' });
      expect(none.headers['www-authenticate']).toBe('Bearer realm="hookwarden", error="invalid_token"');
      await get('/analytics/v1/timeseries', 'not-a-token').expect(401);
    });

    it('403 for a clinician’s token, even with analytics.read (RFC 6750 §3.1 insufficient_scope)', async () => {
      const clinician = await dashboardToken(t, 'doc', PASSWORD);
      expect(clinician.scope.split(' ')).toContain('analytics.read');
      const res = await get('/analytics/v1/summary', clinician.access_token).expect(403);
      expect(res.body).toEqual({ error: 'insufficient_scope', error_description: 'the user does not have the analyst role' });
      expect(res.headers['www-authenticate']).toBe('Bearer realm="hookwarden", error="insufficient_scope", scope="analytics.read"');
      await get('/analytics/v1/timeseries?format=csv', clinician.access_token).expect(403);
    });

    it('403 for an analyst’s token without analytics.read', async () => {
      const token = await dashboardToken(t, 'owner', PASSWORD, 'openid fhirUser');
      const res = await get('/analytics/v1/summary', token.access_token).expect(403);
      expect(res.body).toEqual({ error: 'insufficient_scope', error_description: 'the token lacks analytics.read' });
    });

    it('a backend client registered with analytics.read reads by client_credentials; one without it cannot get the scope', async () => {
      const bi = await backend('bi-tool');
      expect(bi.status).toBe(200);
      const summary = await get(`/analytics/v1/summary?from=${DAY.from}&to=${DAY.to}`, bi.body.access_token).expect(200);
      expect(summary.body.services[0].rules).toEqual(expectedRules());
      const other = await backend('other-backend');
      expect(other.body).toMatchObject({ error: 'invalid_scope' });
    });

    it('400 invalid_request for a bad range', async () => {
      const res = await get('/analytics/v1/summary?from=yesterday').expect(400);
      expect(res.body).toEqual({ error: 'invalid_request', error_description: 'from must be an ISO 8601 instant with an offset, e.g. 2026-01-31T00:00:00Z' });
      await get('/analytics/v1/timeseries?bucket=minute').expect(400);
    });

    it('the retention purge drops raw events older than analytics.retentionDays and keeps the rollups’ totals', async () => {
      const db = t.app.get<Database>(DATABASE);
      const raw = async () =>
        Object.fromEntries(
          await Promise.all(
            ['cds_invocations', 'cds_cards', 'cds_feedback', 'link_events', 'launch_events', 'override_events'].map(
              async (table) => [table, (await db.query<{ n: number }>(`SELECT count(*)::int AS n FROM ${table}`))[0]?.n] as const,
            ),
          ),
        );
      const before = (await get(`/analytics/v1/summary?from=${DAY.from}&to=${DAY.to}`).expect(200)).body;
      const series = (await get(`/analytics/v1/timeseries?bucket=hour&from=${DAY.from}&to=${DAY.to}`).expect(200)).body;
      const days = t.config.analytics.retentionDays;
      const housekeeping = t.app.get(HousekeepingService);
      await housekeeping.purge(new Date(NOW.getTime() + (days - 1) * 86_400_000));
      expect(Object.values(await raw()).every((n) => (n as number) > 0)).toBe(true);
      await housekeeping.purge(new Date(NOW.getTime() + (days + 1) * 86_400_000));
      expect(await raw()).toEqual({ cds_invocations: 0, cds_cards: 0, cds_feedback: 0, link_events: 0, launch_events: 0, override_events: 0 });
      // That purge also removed the analyst's expired access token: sign in again.
      analyst = (await dashboardToken(t, 'owner', PASSWORD)).access_token as string;
      expect((await get(`/analytics/v1/summary?from=${DAY.from}&to=${DAY.to}`).expect(200)).body).toEqual(before);
      expect((await get(`/analytics/v1/timeseries?bucket=hour&from=${DAY.from}&to=${DAY.to}`).expect(200)).body).toEqual(series);
    });
  });
}

analyticsSuite('analytics API on the embedded database (PGlite)', async () => ({}));
describe.runIf(TEST_PG_URL)('on PostgreSQL', () => {
  analyticsSuite('analytics API on PostgreSQL', async () => ({ databaseUrl: await freshPostgresDatabase('analytics') }));
});

import type { AddressInfo } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import pg from 'pg';
import { requestFor } from './fixtures/cds/requests.js';
import { fixtureServices, orderSelectService } from './fixtures/cds/services.js';
import { createCdsTestApp } from './helpers/cds-app.js';
import { makeTestEhr, type TestEhr } from './helpers/ehr-jwt.js';
import { EhrCaller, FaultLoad, feedbackFor, type AnsweredCard, type Outcome } from './helpers/fault-load.js';
import { findPgBin, startPostgresServer, type PostgresServer } from './helpers/postgres-server.js';
import { clientAssertion, makeClientKey, type ClientKey } from './helpers/smart-harness.js';
import { buildTestConfig, TEST_PUBLIC_URL, type TestApp } from './helpers/test-app.js';

const JWT_BEARER = 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer';
// Small bounds, so a frozen server is noticed within about two seconds.
const DATABASE = { poolSize: 4, statementTimeoutMs: 1000, connectTimeoutMs: 1000 };
/**
 * The most a request may take while the database is away or frozen: the bounds above, twice, plus the
 * slack of a 2-core machine shared with the rest of the suite (a hang without the bounds is unbounded).
 */
const BOUNDED_MS = 10_000;
const SERVICE = orderSelectService.id;

const bin = findPgBin();

/** 503 with an OperationOutcome whose issue is `transient` (CDS, /fhir). */
function expectTransient(o: Outcome): void {
  expect({ path: o.path, status: o.status }).toEqual({ path: o.path, status: 503 });
  expect(o.body).toMatchObject({ resourceType: 'OperationOutcome', issue: [{ severity: 'error', code: 'transient' }] });
}

// The server this suite starts is its own: it terminates, stops, restarts and freezes it, never the shared one.
describe.runIf(bin)('fault suite: PostgreSQL lost, stopped and frozen under load', () => {
  let server: PostgresServer;
  let t: TestApp;
  let ehr: TestEhr;
  let backendKey: ClientKey;
  let base: string;
  let caller: EhrCaller;
  const answered: AnsweredCard[] = [];
  const acknowledged: Record<string, unknown>[] = [];

  beforeAll(async () => {
    server = await startPostgresServer(bin!);
    ehr = await makeTestEhr();
    backendKey = await makeClientKey();
    const config = buildTestConfig(
      {
        ehrs: [ehr.config()],
        smartClients: [
          { clientId: 'public-app', name: 'Public', redirectUris: ['https://app.test/cb'], scope: 'launch openid patient/*.rs', auth: 'none' },
          { clientId: 'backend', name: 'Backend', scope: 'system/Patient.rs', auth: 'private_key_jwt', jwks: { keys: [backendKey.publicJwk] } },
        ],
        database: DATABASE,
      },
      { databaseUrl: server.url, demoResources: [{ resourceType: 'Patient', id: 'p1' }] },
    );
    t = await createCdsTestApp(config, fixtureServices);
    await t.app.listen(0, '127.0.0.1');
    base = `http://127.0.0.1:${(t.server.address() as AddressInfo).port}`;
    caller = new EhrCaller(ehr, base, TEST_PUBLIC_URL, 15_000);
  });

  afterAll(async () => {
    await t?.close();
    server?.destroy();
  });

  const load = () => new FaultLoad(caller, SERVICE, () => requestFor('order-select'), { concurrency: 3, pauseMs: 25 });
  const keep = (l: FaultLoad) => {
    answered.push(...l.answeredCards);
    acknowledged.push(...l.acknowledged);
  };
  const hookCall = () => caller.post(`/cds-services/${SERVICE}`, requestFor('order-select'));
  const token = () =>
    fetch(`${base}/auth/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ grant_type: 'authorization_code', code: 'no-such-code', client_id: 'public-app', redirect_uri: 'https://app.test/cb', code_verifier: 'x'.repeat(43) }),
      signal: AbortSignal.timeout(BOUNDED_MS),
    });
  const backendToken = async (): Promise<string> => {
    const assertion = await clientAssertion('backend', backendKey);
    const res = await fetch(`${base}/auth/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ grant_type: 'client_credentials', scope: 'system/Patient.rs', client_assertion_type: JWT_BEARER, client_assertion: assertion }),
    });
    expect(res.status).toBe(200);
    return ((await res.json()) as { access_token: string }).access_token;
  };
  const fhirRead = (accessToken: string) => fetch(`${base}/fhir/Patient/p1`, { headers: { authorization: `Bearer ${accessToken}` }, signal: AbortSignal.timeout(BOUNDED_MS) });

  /** Every transport answers 503 in its own shape, within the bounds, while the database is away; /readyz says so, /healthz does not. */
  async function expectAway(accessToken: string): Promise<void> {
    const t0 = performance.now();
    expectTransient(await hookCall());
    const card = answered[0];
    expectTransient(await caller.post(`/cds-services/${SERVICE}/feedback`, { feedback: [feedbackFor(card, '2026-12-01T10:00:00Z')] }));
    const oauth = await token();
    expect(oauth.status).toBe(503);
    expect(await oauth.json()).toMatchObject({ error: 'temporarily_unavailable' });
    const fhir = await fhirRead(accessToken);
    expect(fhir.status).toBe(503);
    expect(await fhir.json()).toMatchObject({ resourceType: 'OperationOutcome', issue: [{ code: 'transient' }] });
    const ready = await fetch(`${base}/readyz`, { signal: AbortSignal.timeout(BOUNDED_MS) });
    expect(ready.status).toBe(503);
    expect(await ready.json()).toMatchObject({ status: 'error', error: { database: { status: 'down', kind: 'postgres' } } });
    expect((await fetch(`${base}/healthz`)).status).toBe(200);
    expect(performance.now() - t0).toBeLessThan(4 * BOUNDED_MS);
  }

  /** Polls hook calls until one is answered 200; returns how long that took. */
  async function recovery(withinMs: number): Promise<number> {
    const t0 = Date.now();
    while (Date.now() - t0 < withinMs) {
      const o = await hookCall();
      expect([200, 503]).toContain(o.status);
      if (o.status === 200) return Date.now() - t0;
      await sleep(100);
    }
    throw new Error(`not serving again ${withinMs} ms after the database came back`);
  }

  it('a terminated connection (pg_terminate_backend) under load does not kill the process; calls are served on', async () => {
    const l = load().start();
    const admin = new pg.Client({ connectionString: server.url });
    await admin.connect();
    try {
      for (let i = 0; i < 3; i++) {
        await sleep(400);
        const killed = await admin.query('SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()');
        expect(killed.rowCount).toBeGreaterThan(0);
      }
      await sleep(300);
    } finally {
      await admin.end();
      await l.stop();
    }
    keep(l);
    // A statement on a terminated connection answers 503 (57P01) at worst: never a 500, never a crash.
    expect(Object.keys(l.statuses()).filter((s) => s !== '200' && s !== '503')).toEqual([]);
    expect(l.answeredCards.length).toBeGreaterThan(0);
    expect((await hookCall()).status).toBe(200);
  });

  it('pg_ctl stop -m fast under load: 503 (OperationOutcome, temporarily_unavailable) while away, served again once back, nothing acknowledged lost', async () => {
    const accessToken = await backendToken();
    expect((await fhirRead(accessToken)).status).toBe(200);
    const l = load().start();
    try {
      await sleep(500);
      await server.stop('fast');
      const away = Date.now();
      try {
        await expectAway(accessToken);
        await sleep(300);
      } finally {
        await server.start();
      }
      expect(await recovery(10_000)).toBeLessThan(10_000);
      expect((await fetch(`${base}/readyz`)).status).toBe(200);
      await sleep(500);
      const outage = l.statuses(away);
      expect(outage['503']).toBeGreaterThan(0);
    } finally {
      await l.stop();
    }
    keep(l);
    expect(Object.keys(l.statuses()).filter((s) => s !== '200' && s !== '503')).toEqual([]);
    expect((await fhirRead(accessToken)).status).toBe(200);
  });

  it('a frozen server (SIGSTOP) answers every request with a fast 503, never a hang, and is served again after SIGCONT', async () => {
    const accessToken = await backendToken();
    const l = load().start();
    try {
      await sleep(400);
      server.signal('SIGSTOP');
      const frozen = Date.now();
      await expectAway(accessToken);
      await sleep(1000);
      server.signal('SIGCONT');
      expect(await recovery(10_000)).toBeLessThan(10_000);
      await sleep(300);
      const during = l.outcomes.filter((o) => o.at >= frozen);
      expect(during.filter((o) => o.status === 503).length).toBeGreaterThan(0);
    } finally {
      server.signal('SIGCONT');
      await l.stop();
    }
    keep(l);
    expect(l.outcomes.filter((o) => o.status === 'hang')).toEqual([]);
    expect(Math.max(...l.outcomes.map((o) => o.ms))).toBeLessThan(BOUNDED_MS);
    expect(Object.keys(l.statuses()).filter((s) => s !== '200' && s !== '503')).toEqual([]);
  });

  it('afterwards every acknowledged feedback is stored and every card of an answered call accepts its feedback', async () => {
    expect(acknowledged.length).toBeGreaterThan(0);
    const admin = new pg.Client({ connectionString: server.url });
    await admin.connect();
    try {
      const stored = await admin.query<{ card_uuid: string; outcome: string }>('SELECT card_uuid, outcome FROM cds_feedback');
      const have = new Set(stored.rows.map((r) => `${r.card_uuid} ${r.outcome}`));
      expect(acknowledged.map((a) => `${a.card as string} ${a.outcome as string}`).filter((k) => !have.has(k))).toEqual([]);
    } finally {
      await admin.end();
    }
    const refused: Outcome[] = [];
    for (const card of answered) {
      const o = await caller.post(`/cds-services/${SERVICE}/feedback`, { feedback: [feedbackFor(card, '2026-12-01T11:00:00Z')] });
      if (o.status !== 200) refused.push(o);
    }
    expect(refused).toEqual([]);
  });
});

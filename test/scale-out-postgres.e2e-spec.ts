import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import pg from 'pg';
import { BUNDLED_APP_SCOPE, notOkFixture } from './helpers/card-launch.js';
import { makeTestEhr, type TestEhr } from './helpers/ehr-jwt.js';
import { type AnsweredCard, EhrCaller, FaultLoad, feedbackFor } from './helpers/fault-load.js';
import { startHookwarden, writeConfig, type HookwardenProcess } from './helpers/hookwarden-process.js';
import { freshPostgresDatabase, TEST_PG_URL } from './helpers/postgres.js';

const SERVICE = 'medication-safety-order-sign';
/** Both processes answer for one name, as behind a load balancer: every `aud` and link names it. */
const PUBLIC_URL = 'https://lb.hookwarden.test';
const APP = 'medication-review';
const APP_REDIRECT = `${PUBLIC_URL}/apps/${APP}/index.html`;

const hookBody = () => ({ ...notOkFixture('order-sign-statin-macrolide'), hookInstance: randomUUID() });

function pkce(): { verifier: string; challenge: string } {
  const verifier = randomBytes(32).toString('base64url');
  return { verifier, challenge: createHash('sha256').update(verifier).digest('base64url') };
}

/** GET without following redirects; the Location, if any. */
async function location(url: string): Promise<string | null> {
  const res = await fetch(url, { redirect: 'manual' });
  await res.arrayBuffer();
  return res.headers.get('location');
}

/** The authorization request of the bundled app for `launch` (SMART EHR launch), sent to `base`. */
async function authorize(base: string, launch: string): Promise<{ code: string | null; verifier: string }> {
  const { verifier, challenge } = pkce();
  const q = new URLSearchParams({
    response_type: 'code',
    client_id: APP,
    redirect_uri: APP_REDIRECT,
    scope: BUNDLED_APP_SCOPE,
    state: randomUUID(),
    aud: `${PUBLIC_URL}/fhir`,
    code_challenge: challenge,
    code_challenge_method: 'S256',
    launch,
  });
  const to = await location(`${base}/auth/authorize?${q}`);
  return { code: to?.startsWith(APP_REDIRECT) ? new URL(to).searchParams.get('code') : null, verifier };
}

/** The token response's status and OAuth error description (RFC 6749 §5.2). */
async function exchange(base: string, code: string, verifier: string): Promise<string> {
  const body = new URLSearchParams({ grant_type: 'authorization_code', code, code_verifier: verifier, redirect_uri: APP_REDIRECT, client_id: APP });
  const res = await fetch(`${base}/auth/token`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body });
  const json = (await res.json()) as { error_description?: string };
  return res.status === 200 ? '200' : `${res.status} ${json.error_description}`;
}

// DESIGN.md's scale-out mode: several Hookwarden processes on one PostgreSQL, each a child process
// started as an operator does.
describe.runIf(TEST_PG_URL)('two Hookwarden processes on one PostgreSQL', () => {
  let dir: string;
  let ehr: TestEhr;
  let env: Record<string, string>;
  let databaseUrl: string;
  let a: HookwardenProcess;
  let b: HookwardenProcess;
  let callA: EhrCaller;
  let callB: EhrCaller;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'hookwarden-scale-'));
    ehr = await makeTestEhr();
    databaseUrl = await freshPostgresDatabase('scale');
    env = { DATABASE_URL: databaseUrl, PUBLIC_URL, HOOKWARDEN_CONFIG: writeConfig(dir, { ehrs: [ehr.config()] }), DATA_DIR: join(dir, 'data') };
    // One after the other: both migrate the same database (the advisory lock would serialise them anyway).
    a = await startHookwarden('a', env, join(dir, 'a.log'));
    b = await startHookwarden('b', env, join(dir, 'b.log'));
    callA = new EhrCaller(ehr, a.base, PUBLIC_URL);
    callB = new EhrCaller(ehr, b.base, PUBLIC_URL);
  }, 180_000);

  afterAll(async () => {
    await a?.started.stop();
    await b?.started.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('N6 a jti, a launch and a code are each accepted exactly once across both', async () => {
    const path = `/cds-services/${SERVICE}`;
    const jwt = await ehr.sign(`${PUBLIC_URL}${path}`);
    const body = JSON.stringify(hookBody());
    const replays = await Promise.all(
      [a, b, a, b, a, b].map(async (p) => {
        const res = await fetch(`${p.base}${path}`, { method: 'POST', headers: { authorization: `Bearer ${jwt}`, 'content-type': 'application/json' }, body });
        await res.arrayBuffer();
        return res.status;
      }),
    );
    expect(replays.sort()).toEqual([200, 401, 401, 401, 401, 401]);

    const call = await callA.post(path, hookBody());
    expect(call.status).toBe(200);
    const link = (call.body as { cards: { links?: { url: string }[] }[] }).cards.flatMap((c) => c.links ?? []).find((l) => l.url.includes('/cds-links/'));
    const click = await location(`${b.base}${new URL(link?.url ?? 'https://x/').pathname}`);
    const launch = new URL(click ?? 'https://x/').searchParams.get('launch');
    expect(launch).toBeTruthy();

    const attempts = await Promise.all([a, b, a, b].map((p) => authorize(p.base, launch as string)));
    const won = attempts.filter((x) => x.code !== null);
    expect(won).toHaveLength(1);

    const { code, verifier } = won[0] as { code: string; verifier: string };
    const exchanges = await Promise.all([a, b, a, b].map((p) => exchange(p.base, code, verifier)));
    // One exchange spends the code; the replays are refused, and (RFC 6749 §4.1.2) revoke what it
    // granted, so the spender itself may be refused when a replay lands before it finished.
    const spentAgain = exchanges.filter((e) => e === '400 code was already used');
    expect(spentAgain).toHaveLength(3);
    expect(exchanges.filter((e) => e !== '400 code was already used')).toEqual([expect.stringMatching(/^(200|400 authorization was revoked)$/)]);
  }, 120_000);

  it('F1 accepts feedback on one for the cards the other issued, under a bounded load on both', async () => {
    const loadA = new FaultLoad(callA, SERVICE, hookBody, { concurrency: 2, pauseMs: 10 }).start();
    const loadB = new FaultLoad(callB, SERVICE, hookBody, { concurrency: 2, pauseMs: 10 }).start();
    while (loadA.answeredCards.length < 10 || loadB.answeredCards.length < 10) await sleep(50);
    await Promise.all([loadA.stop(), loadB.stop()]);
    const across = async (caller: EhrCaller, cards: AnsweredCard[]) =>
      Promise.all(cards.slice(0, 10).map(async (card) => (await caller.post(`/cds-services/${SERVICE}/feedback`, { feedback: [feedbackFor(card, '2026-12-01T10:00:00Z')] })).status));
    expect(await across(callB, loadA.answeredCards)).toEqual(Array(10).fill(200));
    expect(await across(callA, loadB.answeredCards)).toEqual(Array(10).fill(200));
    expect({ ...loadA.statuses(), ...loadB.statuses() }).toEqual({ 200: expect.any(Number) });
  }, 120_000);

  it('after kill -9 of one under load, every card it answered accepts feedback on the other and every acknowledged feedback is stored', async () => {
    const load = new FaultLoad(callA, SERVICE, hookBody, { concurrency: 4, pauseMs: 0 }).start();
    const survivor = new FaultLoad(callB, SERVICE, hookBody, { concurrency: 2, pauseMs: 10 }).start();
    try {
      while (load.answeredCards.length < 20) await sleep(50);
      a.started.child.kill('SIGKILL');
      await a.started.exited;
      await sleep(500);
    } finally {
      await Promise.all([load.stop(), survivor.stop()]);
    }
    // Until the kill every call was answered; those in flight at the kill got no answer at all.
    expect(Object.keys(load.statuses()).filter((s) => s !== '200' && s !== 'refused')).toEqual([]);
    expect(Object.keys(survivor.statuses())).toEqual(['200']);

    const refused: unknown[] = [];
    for (const card of load.answeredCards) {
      const o = await callB.post(`/cds-services/${SERVICE}/feedback`, { feedback: [feedbackFor(card, '2026-12-01T12:00:00Z')] });
      if (o.status !== 200) refused.push(o);
    }
    expect(refused).toEqual([]);

    const client = new pg.Client({ connectionString: databaseUrl });
    await client.connect();
    try {
      const { rows } = await client.query<{ k: string }>(
        `SELECT card_uuid || ' ' || to_char(outcome_timestamp AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"') AS k FROM cds_feedback`,
      );
      const stored = new Set(rows.map((r) => r.k));
      const acknowledged = [...load.acknowledged, ...survivor.acknowledged].map((x) => `${x.card as string} ${x.outcomeTimestamp as string}`);
      expect(acknowledged.length).toBeGreaterThan(0);
      expect(acknowledged.filter((k) => !stored.has(k))).toEqual([]);
    } finally {
      await client.end();
    }
  }, 120_000);
});

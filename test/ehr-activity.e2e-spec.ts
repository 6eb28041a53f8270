import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import request from 'supertest';
import { loadConfig } from '../src/config/load-config.js';
import { runSimulator } from './ehr/ehr-simulator.js';
import { dashboardToken } from './helpers/analytics.js';
import { freePort } from './helpers/smart-harness.js';
import { createTestApp, type TestApp } from './helpers/test-app.js';

// `npm run ehr -- activity` in demo mode, exactly as after `npm start`: the activity goes through the
// real endpoints, and the demo analyst owner.demo reads it back in the analytics summary.
describe('npm run ehr -- activity (demo mode)', () => {
  let t: TestApp;
  let dir: string;
  let env: NodeJS.ProcessEnv;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'hookwarden-activity-'));
    const port = await freePort();
    env = { DATA_DIR: join(dir, 'data'), PUBLIC_URL: `http://127.0.0.1:${port}` };
    const { config } = loadConfig({ DATA_DIR: env.DATA_DIR, PUBLIC_URL: env.PUBLIC_URL, PORT: String(port) }, dir);
    t = await createTestApp(config);
    await t.app.listen(port, '127.0.0.1');
  });
  afterAll(async () => {
    await t?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('sends calls, feedback by JWT and by signed URL, clicks and launches that the summary counts exactly', async () => {
    const out: string[] = [];
    expect(await runSimulator(['activity', '--days', '2', '--calls', '12', '--seed', '7'], env, (line) => out.push(line))).toBe(0);
    const last = out.at(-1) ?? '';
    const m = /^sent (\d+) hook calls \((\d+) cards\), (\d+) accepted and (\d+) overridden \((\d+) by JWT, (\d+) by signed URL\), (\d+) card-link clicks, (\d+) app launches/.exec(last);
    expect(m === null ? last : 'matched').toBe('matched');
    const [calls, cards, accepted, overridden, byJwt, bySignedUrl, clicks, launches] = (m as RegExpExecArray).slice(1).map(Number) as number[];
    expect(calls).toBe(24);
    expect(byJwt).toBeGreaterThan(0);
    expect(bySignedUrl).toBeGreaterThan(0);
    expect(clicks).toBeGreaterThan(0);

    const analyst = await dashboardToken(t, 'owner.demo', 'demo');
    const summary = (await request(t.server).get('/analytics/v1/summary').set('Authorization', `Bearer ${analyst.access_token}`).expect(200)).body;
    const rules = summary.services.flatMap((s: { rules: unknown[] }) => s.rules) as { cards: number; accepted: number; overridden: number; linkClicks: number; launches: { minted: number; tokenIssued: number } }[];
    const sum = (f: (r: (typeof rules)[number]) => number) => rules.reduce((n, r) => n + f(r), 0);
    expect(summary.services.reduce((n: number, s: { invocations: number }) => n + s.invocations, 0)).toBe(calls);
    expect(sum((r) => r.cards)).toBe(cards);
    expect(sum((r) => r.accepted)).toBe(accepted);
    expect(sum((r) => r.overridden)).toBe(overridden);
    expect(sum((r) => r.linkClicks)).toBe(clicks);
    expect(sum((r) => r.launches.minted)).toBe(clicks);
    expect(sum((r) => r.launches.tokenIssued)).toBe(launches);
  }, 120_000);

  it('the demo clinician dr.demo is refused the analytics', async () => {
    const clinician = await dashboardToken(t, 'dr.demo', 'demo');
    await request(t.server).get('/analytics/v1/summary').set('Authorization', `Bearer ${clinician.access_token}`).expect(403);
  });
});

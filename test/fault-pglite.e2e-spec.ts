import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { FIXTURES } from '../hooks/medication-safety/testing/fixtures.js';
import { PgliteDatabase } from '../src/store/pglite-database.js';
import { makeTestEhr, type TestEhr } from './helpers/ehr-jwt.js';
import { EhrCaller, FaultLoad, feedbackFor, type Outcome } from './helpers/fault-load.js';
import { runHookwardenToExit, startHookwarden, writeConfig, type HookwardenProcess } from './helpers/hookwarden-process.js';

const SERVICE = 'medication-safety-order-sign';
const request = () => ({ ...structuredClone(FIXTURES['not-ok']['order-sign-warfarin-nsaid']), hookInstance: crypto.randomUUID() });

// The embedded database with the server in a child process, as an operator runs it: killed with
// SIGKILL mid-load, restarted on the same DATA_DIR.
describe('fault suite: PGlite server killed with SIGKILL under load', () => {
  let dir: string;
  let ehr: TestEhr;
  let env: Record<string, string>;
  let first: HookwardenProcess | undefined;
  let second: HookwardenProcess | undefined;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'hookwarden-fault-'));
    ehr = await makeTestEhr();
    env = { DATA_DIR: join(dir, 'data'), HOOKWARDEN_CONFIG: writeConfig(dir, { ehrs: [ehr.config()] }) };
  });

  afterAll(async () => {
    await first?.started.stop();
    await second?.started.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('after kill -9 under load every card of an answered call accepts its feedback, and every acknowledged feedback is stored; a second process on the held data directory is refused', async () => {
    first = await startHookwarden('first', env, join(dir, 'first.log'));
    const load = new FaultLoad(new EhrCaller(ehr, first.base, first.base), SERVICE, request, { concurrency: 4, pauseMs: 0 }).start();
    try {
      // While the first runs, a second on its data directory stops at boot with what to do.
      const refused = await runHookwardenToExit('second-on-held-dir', env, join(dir, 'refused.log'));
      expect(refused.exit).toBe(1);
      expect(refused.output).toContain(`Hookwarden cannot start: ${join(env.DATA_DIR, 'db')} is in use by another Hookwarden process (pid ${first.started.child.pid} `);
      expect(refused.output).toContain('run several processes on PostgreSQL (DATABASE_URL)');
      while (load.answeredCards.length < 20) await sleep(50);
      first.started.child.kill('SIGKILL');
      await first.started.exited;
    } finally {
      await load.stop();
    }
    expect(load.answeredCards.length).toBeGreaterThan(0);
    expect(load.acknowledged.length).toBeGreaterThan(0);
    // Until the kill every call was answered; the calls in flight at the kill got no answer at all.
    expect(Object.keys(load.statuses()).filter((s) => s !== '200' && s !== 'refused')).toEqual([]);

    // The stale lock of the killed process is taken over.
    second = await startHookwarden('second', env, join(dir, 'second.log'));
    const caller = new EhrCaller(ehr, second.base, second.base);
    const refusedFeedback: Outcome[] = [];
    for (const card of load.answeredCards) {
      const o = await caller.post(`/cds-services/${SERVICE}/feedback`, { feedback: [feedbackFor(card, '2026-12-01T12:00:00Z')] });
      if (o.status !== 200) refusedFeedback.push(o);
    }
    expect(refusedFeedback).toEqual([]);
    await second.started.stop();

    const db = await PgliteDatabase.open(join(env.DATA_DIR, 'db'));
    try {
      const rows = await db.query<{ card_uuid: string; at: string }>(
        `SELECT card_uuid, to_char(outcome_timestamp AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"') AS at FROM cds_feedback`,
      );
      const stored = new Set(rows.map((r) => `${r.card_uuid} ${r.at}`));
      expect(load.acknowledged.map((a) => `${a.card as string} ${a.outcomeTimestamp as string}`).filter((k) => !stored.has(k))).toEqual([]);
    } finally {
      await db.close();
    }
    // Three boots of the app in child processes on a loaded 2-core machine.
  }, 180_000);
});

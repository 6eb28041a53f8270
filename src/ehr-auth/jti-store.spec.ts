import { onTelemetry } from '../http/telemetry.js';
import type { Database } from '../store/database.js';
import { openDatabase } from '../store/open-database.js';
import { JtiStore } from './jti-store.js';
import { JtiRepository } from './jti.repository.js';
import { CommitScheduler } from '../store/group-commit.js';

const NOW = Date.parse('2026-11-23T10:00:00Z');

describe('JtiStore', () => {
  let db: Database;
  beforeAll(async () => {
    db = await openDatabase({ dataDir: 'memory://' });
  });
  afterAll(() => db.close());

  it('N6 accepts a jti once per issuer', async () => {
    const store = new JtiStore(new JtiRepository(db, new CommitScheduler(db)));
    expect(await store.claim('https://a', 'j1', NOW + 360_000, NOW)).toBe(true);
    expect(await store.claim('https://a', 'j1', NOW + 360_000, NOW)).toBe(false);
    expect(await store.claim('https://b', 'j1', NOW + 360_000, NOW)).toBe(true);
  });

  it('gives exactly one winner when two stores on one database race on a jti', async () => {
    const results = await Promise.all([new JtiStore(new JtiRepository(db, new CommitScheduler(db))), new JtiStore(new JtiRepository(db, new CommitScheduler(db)))].map((s) => s.claim('https://a', 'race', NOW + 360_000, NOW)));
    expect(results.sort()).toEqual([false, true]);
  });

  it('N6 accepts a jti sent many times at once exactly once, in one statement', async () => {
    const store = new JtiStore(new JtiRepository(db, new CommitScheduler(db)));
    const sizes: number[] = [];
    const stop = onTelemetry('store.batch', (e) => e.table === 'ehr_jti' && sizes.push(e.size));
    const results = await Promise.all(Array.from({ length: 20 }, (_, i) => store.claim('https://a', i % 2 ? 'burst' : `burst-${i}`, NOW + 360_000, NOW)));
    stop();
    expect(results.filter((r, i) => i % 2 === 1 && r)).toHaveLength(1);
    expect(results.filter((r, i) => i % 2 === 0 && r)).toHaveLength(10);
    expect(sizes).toEqual([20]);
  });

  it('purges rows whose token can no longer be accepted, at most once a minute', async () => {
    const store = new JtiStore(new JtiRepository(db, new CommitScheduler(db)));
    await store.claim('https://a', 'short-lived', NOW + 1_000, NOW);
    const count = async () => (await db.query<{ n: number }>("SELECT count(*)::int AS n FROM ehr_jti WHERE jti = 'short-lived'"))[0]?.n;
    await store.claim('https://a', 'later-1', NOW + 400_000, NOW + 30_000);
    expect(await count()).toBe(1);
    await store.claim('https://a', 'later-2', NOW + 400_000, NOW + 61_000);
    expect(await count()).toBe(0);
  });
});

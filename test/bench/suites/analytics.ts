import { join } from 'node:path';
import { backendAccessToken } from '../lib/http.js';
import { LOAD_CORE, runWorker, SERVER_CORE } from '../lib/processes.js';
import type { Database, HttpRow } from '../lib/rows.js';
import { type BenchCallers, startHookwarden } from '../servers/hookwarden.js';
import type { SeedResult } from '../fixtures/analytics-events.js';
import type { LatencyInput, LatencyResult } from '../workers/latency.js';
import type { SeedInput } from '../workers/seed-analytics.js';
import { progress } from './measure.js';
import type { Settings } from './settings.js';

/** The analytics API's target: each call within 100 ms at the 95th percentile over 1,000,000 stored events. */
export const ANALYTICS_P95_TARGET_MS = 100;
/** The stored events span the default retention (90 days); the calls read the default 30. */
const SEED_DAYS = 90;

const PATHS = [
  { id: 'analytics-summary', path: '/analytics/v1/summary', label: 'GET /analytics/v1/summary (30 days)' },
  { id: 'analytics-timeseries', path: '/analytics/v1/timeseries?bucket=hour', label: 'GET /analytics/v1/timeseries?bucket=hour (30 days, 720 buckets)' },
];

/**
 * The analytics rows on one database: a fresh server whose database holds `analyticsEvents` raw
 * events (seeded and folded before it starts), then each call one at a time from the load core.
 */
export async function analyticsRows(settings: Settings, callers: BenchCallers, database: Database, databaseUrl?: string): Promise<HttpRow[]> {
  let seeded: SeedResult | undefined;
  progress(`seeding ${settings.analyticsEvents.toLocaleString('en')} analytics events (${database})`);
  const app = await startHookwarden(callers, databaseUrl, async (dataDir) => {
    seeded = await runWorker<SeedInput, SeedResult>(
      'analytics seed',
      '../workers/seed-analytics.ts',
      { dataDir: join(dataDir), databaseUrl, events: settings.analyticsEvents, days: SEED_DAYS, now: new Date().toISOString() },
      SERVER_CORE,
    );
  });
  try {
    const token = await backendAccessToken(app.base, callers.analytics);
    const rows: HttpRow[] = [];
    for (const p of PATHS) {
      progress(`${p.label} (${database}), ${settings.analyticsRequests} sequential requests`);
      const r = await runWorker<LatencyInput, LatencyResult>(
        'analytics latency',
        '../workers/latency.ts',
        { url: `${app.base}${p.path}`, token, warmup: 20, requests: settings.analyticsRequests },
        LOAD_CORE,
      );
      const non2xx = Object.entries(r.statusCodes).filter(([code]) => !code.startsWith('2')).reduce((n, [, c]) => n + c, 0);
      const verdict = r.p95 <= ANALYTICS_P95_TARGET_MS ? 'meets' : 'MISSES';
      rows.push({
        kind: 'http',
        id: p.id,
        label: p.label,
        database,
        connections: 1,
        result: { rps: r.responses / r.seconds, p50: r.p50, p99: r.p99, responses: r.responses, durationSeconds: r.seconds, non2xx, errors: 0, statusCodes: r.statusCodes },
        note:
          `p95 ${r.p95.toFixed(1)} ms (${verdict} ≤ ${ANALYTICS_P95_TARGET_MS} ms), sequential; ${r.bytes} B; over ${settings.analyticsEvents.toLocaleString('en')} stored events` +
          (seeded ? ` (seeded ${seeded.seedSeconds.toFixed(0)} s, folded ${seeded.foldSeconds.toFixed(0)} s)` : ''),
      });
    }
    return rows;
  } finally {
    await app.stop();
  }
}

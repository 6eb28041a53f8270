import { setTimeout as sleep } from 'node:timers/promises';
import { asEhr } from '../lib/http.js';
import { fillBody, type LoadSpec, runLoad } from '../lib/load.js';
import { childrenOf, cpuMsOfTree } from '../lib/proc.js';
import { LOAD_CORE, SERVER_CORE } from '../lib/processes.js';
import type { HttpRow, RateRow } from '../lib/rows.js';
import { type BenchCallers, type Hookwarden, type Placement, startHookwarden } from '../servers/hookwarden.js';
import { measure, progress } from './measure.js';
import type { Settings } from './settings.js';

const ORDER_SIGN = '/cds-services/medication-safety-order-sign';
/** Order-sign calls before a CPU window, so both placements start warm (JIT, pools, prepared plans). */
const WARM_CALLS = 50;

function orderSignTarget(app: Hookwarden, callers: BenchCallers, alg: 'es384' | 'rs384', orderSign: string): Omit<LoadSpec, 'connections' | 'warmupSeconds' | 'seconds'> {
  const ehr = callers[alg];
  const url = `${app.base}${ORDER_SIGN}`;
  return { url, method: 'POST', bodies: [orderSign], auth: { kind: 'ehr-jwt', key: ehr.key, iss: ehr.issuer, aud: url, singleUse: true } };
}

/** Starts the app and waits until each of its WORKERS is a process and answers order-sign. */
async function startWarm(callers: BenchCallers, orderSign: string, databaseUrl: string | undefined, placement: Placement): Promise<Hookwarden> {
  const app = await startHookwarden(callers, databaseUrl, undefined, placement);
  const workers = placement.workers ?? 1;
  if (workers > 1) while (childrenOf(app.pid).length < workers) await sleep(100);
  for (let i = 0; i < WARM_CALLS; i++) await asEhr(`${app.base}${ORDER_SIGN}`, callers.es384, fillBody(orderSign));
  return app;
}

/** A placement of the app the order-sign rows are measured under, against the default one-core rows on PGlite. */
interface Variant {
  /** Row id suffix and label suffix. */
  id: string;
  label: string;
  placement: Placement;
}

/**
 * Issue 14: one process given both cores (WebCrypto verifies on libuv's threadpool, SQL in PGlite's
 * worker thread) against the same process on one core. Only two cores exist, so the load generator
 * shares the second core with the app: the figure is a floor of what two free cores would give.
 */
const BOTH_CORES: Variant = { id: 'two-cores', label: `app on both cores, load sharing core ${LOAD_CORE}`, placement: { cores: `${SERVER_CORE},${LOAD_CORE}` } };

/**
 * Issue 14: PGlite on the request's event loop (`database.pglite: inline`) against the default, PGlite
 * in a worker thread, both on one core: what taking SQL off the loop costs or gains where there is
 * no second core to take it to.
 */
const INLINE_PGLITE: Variant = { id: 'inline', label: 'PGlite inline on the event loop', placement: { pglite: 'inline' } };

/** ES384 and RS384 order-sign rows on PGlite under one variant, each divided by the default row of its algorithm. */
async function variantRows(settings: Settings, callers: BenchCallers, orderSign: string, variant: Variant): Promise<HttpRow[]> {
  progress(`starting Hookwarden on PGlite: ${variant.label}`);
  const app = await startWarm(callers, orderSign, undefined, variant.placement);
  try {
    const rows: HttpRow[] = [];
    for (const alg of ['es384', 'rs384'] as const) {
      const head = { id: `order-sign-${alg}-${variant.id}`, label: `POST order-sign (${callers[alg].key.alg}), ${variant.label}`, database: 'PGlite' as const, baseline: `order-sign-${alg}` };
      rows.push(...(await measure(settings, head, () => orderSignTarget(app, callers, alg, orderSign))));
    }
    return rows;
  } finally {
    await app.stop();
  }
}

/** The order-sign rows of every variant: both cores, and PGlite inline. */
export async function variantOrderSignRows(settings: Settings, callers: BenchCallers, orderSign: string): Promise<HttpRow[]> {
  return [...(await variantRows(settings, callers, orderSign, BOTH_CORES)), ...(await variantRows(settings, callers, orderSign, INLINE_PGLITE))];
}

/** CPU ms per order-sign call of the app's processes (PostgreSQL's own excluded), over one load run at the largest connection count. */
async function cpuPerCall(settings: Settings, callers: BenchCallers, orderSign: string, databaseUrl: string, workers: number): Promise<number> {
  progress(`CPU per order-sign call, WORKERS=${workers} on PostgreSQL`);
  const app = await startWarm(callers, orderSign, databaseUrl, { workers });
  try {
    const connections = Math.max(...settings.connections);
    const before = cpuMsOfTree(app.pid);
    const result = await runLoad({ ...orderSignTarget(app, callers, 'es384', orderSign), connections, warmupSeconds: settings.warmupSeconds, seconds: settings.seconds });
    const used = cpuMsOfTree(app.pid) - before;
    if (result.non2xx > 0 || result.errors > 0) throw new Error(`WORKERS=${workers}: ${result.non2xx} non-2xx, ${result.errors} errors`);
    return used / (result.responses + (result.warmupResponses ?? 0));
  } finally {
    await app.stop();
  }
}

/**
 * Issue 14: CPU per call with two processes on one PostgreSQL within 10% of one process. Both
 * placements run on the server core with PostgreSQL, so the figure is the cost of being two (cluster
 * distribution, two pools, cross-instance single-use checks), not of sharing cores with the load.
 */
export async function workersCpuRow(settings: Settings, callers: BenchCallers, orderSign: string, databaseUrl: (name: string) => Promise<string>): Promise<RateRow> {
  const one = await cpuPerCall(settings, callers, orderSign, await databaseUrl('workers1'), 1);
  const two = await cpuPerCall(settings, callers, orderSign, await databaseUrl('workers2'), 2);
  return {
    kind: 'rate',
    id: 'workers-cpu-per-call',
    label: `CPU per order-sign call (ES384, PostgreSQL), WORKERS=2, ${Math.max(...settings.connections)} connections`,
    unit: 'µs',
    value: two * 1000,
    baseline: { label: 'WORKERS=1', value: one * 1000 },
  };
}

// `npm run bench`: Hookwarden's endpoints against same-run baselines, each server in its own process
// pinned to core 0 and the load generator (autocannon) in another pinned to core 1. Prints the
// tables on stdout and writes bench-results.json at the repository root. See README § Benchmarks.
import { execFileSync } from 'node:child_process';
import { availableParallelism, cpus } from 'node:os';
import { join } from 'node:path';
import { orderSignTemplate } from './fixtures/order-sign.js';
import { installCleanupHandlers, isInterrupted, releaseAll } from './lib/cleanup.js';
import { startPostgres } from './lib/postgres.js';
import { LOAD_CORE, PINNED, ROOT, runWorker, SERVER_CORE } from './lib/processes.js';
import { printReport, writeReport } from './lib/report.js';
import { type RateRow, type Row, withRatios } from './lib/rows.js';
import { analyticsRows } from './suites/analytics.js';
import { appRows, type BatchSizes } from './suites/app.js';
import { baselineRows } from './suites/baselines.js';
import { progress } from './suites/measure.js';
import { variantOrderSignRows, workersCpuRow } from './suites/scaling.js';
import { readSettings, type Suite } from './suites/settings.js';
import type { MicroInput } from './workers/micro.js';
import { makeCallers } from './servers/hookwarden.js';

const RESULTS = join(ROOT, 'bench-results.json');

function commit(): string {
  try {
    const sha = execFileSync('git', ['rev-parse', '--short', 'HEAD'], { cwd: ROOT }).toString().trim();
    const dirty = execFileSync('git', ['status', '--porcelain', '--untracked-files=no'], { cwd: ROOT }).toString().trim() !== '';
    return dirty ? `${sha}+changes` : sha;
  } catch {
    return 'unknown';
  }
}

installCleanupHandlers();
const settings = readSettings();
const startedAt = new Date();
const callers = makeCallers();
const orderSign = orderSignTemplate();
const placement = PINNED ? `servers and their database on core ${SERVER_CORE}, load generator on core ${LOAD_CORE} (taskset)` : 'NOT pinned (no taskset or one core): figures mix server and load CPU';
const meta: Record<string, unknown> = {
  startedAt: startedAt.toISOString(),
  commit: commit(),
  node: process.version,
  cpu: `${cpus()[0]?.model ?? 'unknown'} ×${availableParallelism()}`,
  placement,
  settings,
  tokens: 'EHR JWT rows on Hookwarden: single-use tokens pre-signed in the load process before each window (never during it); baseline verification rows: 500 tokens round-robin',
};

try {
  const rows: Row[] = [];
  progress(`${settings.seconds} s per row after a ${settings.warmupSeconds} s warm-up, connections ${settings.connections.join(', ')}; ${placement}`);
  const runs = (suite: Suite) => settings.suites.includes(suite);
  if (runs('baselines')) rows.push(...(await baselineRows(settings, callers, orderSign)));
  if (runs('micro')) {
    progress('in-process rates (verification, scope filter)');
    rows.push(...(await runWorker<MicroInput, RateRow[]>('in-process rates', '../workers/micro.ts', { seconds: settings.microSeconds, keys: [callers.es384.key, callers.rs384.key] }, SERVER_CORE)));
  }
  const batches: Record<string, BatchSizes> = {};
  meta.groupCommit = batches;
  if (settings.databases.includes('pglite')) {
    if (runs('app')) rows.push(...(await appRows(settings, callers, 'PGlite', orderSign, undefined, batches)));
    if (runs('scaling')) rows.push(...(await variantOrderSignRows(settings, callers, orderSign)));
    if (runs('analytics')) rows.push(...(await analyticsRows(settings, callers, 'PGlite')));
  }
  if (settings.databases.includes('postgres') && (runs('app') || runs('scaling') || runs('analytics'))) {
    const postgres = await startPostgres();
    meta.postgres = !postgres
      ? 'not installed: rows skipped'
      : postgres.pinned
        ? `throwaway server pinned to core ${SERVER_CORE} with the app`
        : 'not pinned (HOOKWARDEN_TEST_PG_URL, or taskset refused)';
    if (postgres && runs('app')) rows.push(...(await appRows(settings, callers, 'PostgreSQL', orderSign, postgres.url, batches)));
    if (postgres && runs('scaling')) rows.push(await workersCpuRow(settings, callers, orderSign, postgres.freshDatabase));
    // A database of its own: the app rows' server left its rows behind in theirs.
    if (postgres && runs('analytics')) rows.push(...(await analyticsRows(settings, callers, 'PostgreSQL', await postgres.freshDatabase('analytics'))));
    if (!postgres) progress('no PostgreSQL binaries (/usr/lib/postgresql/*/bin): PostgreSQL rows skipped');
  }
  meta.seconds = Math.round((Date.now() - startedAt.getTime()) / 1000);
  const results = withRatios(rows);
  printReport(`Hookwarden bench ${meta.startedAt} · ${meta.commit} · node ${meta.node} · ${meta.cpu}\n${placement}; ${settings.seconds} s per row after ${settings.warmupSeconds} s warm-up`, results);
  console.log(`ratio = req/s ÷ the named baseline's req/s at the same connection count, in this run.\n${meta.tokens}.`);
  if (meta.postgres) console.log(`PostgreSQL: ${meta.postgres}.`);
  for (const [database, tables] of Object.entries(batches)) {
    const parts = Object.entries(tables).map(([table, t]) => `${table} ${t.statements} statements, ${t.meanRows} rows each on average, largest ${t.largestBucket}`);
    console.log(`Group commit on ${database} (whole run): ${parts.join('; ')}.`);
  }
  writeReport(RESULTS, meta, results);
  console.log(`JSON: ${RESULTS} (${meta.seconds} s in all)`);
} catch (e) {
  // After Ctrl-C the rows fail because their processes were stopped; that is not worth a stack trace.
  if (!isInterrupted()) throw e;
} finally {
  await releaseAll();
}

import { execFileSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, request as httpRequest } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { notOkFixture } from './helpers/card-launch.js';
import { makeTestEhr, type TestEhr } from './helpers/ehr-jwt.js';
import { startHookwarden, writeConfig, type HookwardenProcess } from './helpers/hookwarden-process.js';
import { freshPostgresDatabase, TEST_PG_URL } from './helpers/postgres.js';

const SERVICE = 'medication-safety-order-sign';
const hookBody = () => ({ ...notOkFixture('order-sign-statin-macrolide'), hookInstance: randomUUID() });
/** How long the slow FHIR server takes to answer: well inside the 2 s prefetch budget. */
const SLOW_MS = 1_500;

/** A FHIR server that answers every read 404 after SLOW_MS, noting the patient each request is for. */
async function startSlowFhir(): Promise<{ base: string; patients: Set<string>; close(): Promise<void> }> {
  const patients = new Set<string>();
  const server = createServer((req, res) => {
    const m = /(?:patient=|Patient\/)([\w-]+)/.exec(decodeURIComponent(req.url ?? ''));
    if (m?.[1]) patients.add(m[1]);
    setTimeout(() => res.writeHead(404, { 'content-type': 'application/fhir+json' }).end('{"resourceType":"OperationOutcome","issue":[{"severity":"error","code":"not-found"}]}'), SLOW_MS);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as AddressInfo;
  return { base: `http://127.0.0.1:${port}/fhir`, patients, close: () => new Promise((r) => server.close(() => r())) };
}
const PATH = `/cds-services/${SERVICE}`;

/** One request on a connection of its own, so node:cluster's round robin spreads them over the workers. */
function post(base: string, jwt: string, body: unknown): Promise<number | string> {
  return new Promise((resolve) => {
    const data = JSON.stringify(body);
    const req = httpRequest(`${base}${PATH}`, { method: 'POST', agent: false, headers: { authorization: `Bearer ${jwt}`, 'content-type': 'application/json', 'content-length': Buffer.byteLength(data) } }, (res) => {
      res.resume();
      res.on('end', () => resolve(res.statusCode ?? 0));
    });
    req.on('error', (e: NodeJS.ErrnoException) => resolve(e.code ?? 'error'));
    req.end(data);
  });
}

/** The worker processes of the primary `pid`. */
function workersOf(pid: number): number[] {
  try {
    return execFileSync('ps', ['-o', 'pid=', '--ppid', String(pid)]).toString().split('\n').map(Number).filter(Boolean);
  } catch {
    return [];
  }
}

async function untilWorkers(pid: number, n: number, except: number[] = []): Promise<number[]> {
  for (let i = 0; i < 600; i++) {
    const pids = workersOf(pid).filter((p) => !except.includes(p));
    if (pids.length === n) return pids;
    await sleep(100);
  }
  throw new Error(`primary ${pid} never had ${n} workers`);
}

function callsCounted(text: string): number {
  return text
    .split('\n')
    .filter((l) => l.startsWith('hookwarden_cds_calls_total{'))
    .reduce((sum, l) => sum + Number(l.split(' ').at(-1)), 0);
}

describe.runIf(TEST_PG_URL)('WORKERS=2 on one port (node:cluster, PostgreSQL)', () => {
  let dir: string;
  let ehr: TestEhr;
  let hw: HookwardenProcess;
  let primary: number;
  let slow: Awaited<ReturnType<typeof startSlowFhir>>;
  /** A call for `patientId` with nothing prefetched: every key is fetched from the slow server. */
  const slowCallBody = (patientId: string) => {
    const b = hookBody();
    return {
      ...b,
      context: { ...b.context, patientId },
      prefetch: {},
      fhirServer: slow.base,
      fhirAuthorization: { access_token: 'slow-token', token_type: 'Bearer', expires_in: 300, scope: 'patient/*.read', subject: 'hookwarden', patient: patientId },
    };
  };
  const sign = () => ehr.sign(`${hw.base}${PATH}`);

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'hookwarden-workers-'));
    ehr = await makeTestEhr();
    slow = await startSlowFhir();
    const config = { ehrs: [ehr.config({ fhirServers: [slow.base] })] };
    const env = { WORKERS: '2', DATABASE_URL: await freshPostgresDatabase('workers'), HOOKWARDEN_CONFIG: writeConfig(dir, config), DATA_DIR: join(dir, 'data') };
    hw = await startHookwarden('workers', env, join(dir, 'workers.log'));
    primary = hw.started.child.pid as number;
    await untilWorkers(primary, 2);
    // Both workers serve (and answer the primary's metrics requests) once each logged that it listens.
    while ((hw.started.log().match(/"msg":"worker \d+ listening/g) ?? []).length < 2) await sleep(100);
  }, 180_000);

  afterAll(async () => {
    await hw?.started.stop();
    await slow?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('serves from both workers and answers /metrics with every worker’s calls summed', async () => {
    const statuses = await Promise.all(Array.from({ length: 8 }, async () => post(hw.base, await sign(), hookBody())));
    expect(statuses).toEqual(Array(8).fill(200));
    // Whichever worker takes the scrape, it reports all eight.
    for (let i = 0; i < 4; i++) {
      const res = await fetch(`${hw.base}/metrics`, { headers: { connection: 'close' } });
      expect(callsCounted(await res.text())).toBe(8);
    }
  }, 120_000);

  it('replaces a worker killed with SIGKILL while the other keeps answering', async () => {
    const [victim, other] = await untilWorkers(primary, 2);
    process.kill(victim as number, 'SIGKILL');
    // Calls sent once the primary knows the worker is gone (those in flight at the kill got no answer).
    while (workersOf(primary).includes(victim as number)) await sleep(50);
    const statuses = await Promise.all(Array.from({ length: 4 }, async () => post(hw.base, await sign(), hookBody())));
    expect(statuses).toEqual(Array(4).fill(200));
    const replaced = await untilWorkers(primary, 2, [victim as number]);
    expect(replaced).toContain(other);
  }, 120_000);

  it('on SIGTERM finishes the calls in flight (each waiting on a slow FHIR server), then exits 0', async () => {
    const calls = 6;
    const jwts = await Promise.all(Array.from({ length: calls }, sign));
    const answers = jwts.map((jwt, i) => post(hw.base, jwt, slowCallBody(`drain-${i}`)));
    // Every call is inside its prefetch fetch when the signal arrives.
    while (slow.patients.size < calls) await sleep(20);
    hw.started.child.kill('SIGTERM');
    expect(await Promise.all(answers)).toEqual(Array(calls).fill(200));
    expect(await hw.started.exited).toBe(0);
  }, 120_000);
});

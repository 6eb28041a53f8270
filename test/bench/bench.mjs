// `npm run bench`: Hookwarden against a same-run baseline, on this machine, in one process.
// Runs the compiled app (dist/), because Nest's DI needs the decorator metadata tsc emits.
// Every figure is reported as a ratio to a baseline measured in the same run, never as an absolute SLA.
import 'reflect-metadata';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync, rmSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import autocannon from 'autocannon';
import { Controller, Get, HttpCode, Module, Post } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { SignJWT, exportJWK, generateKeyPair } from 'jose';

const root = new URL('../../', import.meta.url).pathname;
const dist = (p) => join(root, 'dist', p);
const { AppModule } = await import(dist('src/app.module.js'));
const { configureApp } = await import(dist('src/configure-app.js'));
const { fileSchema } = await import(dist('src/config/config.schema.js'));
const { services } = await import(dist('hooks/index.js'));

const DURATION = Number(process.env.BENCH_SECONDS ?? 5);
const CONNECTIONS = 10;

function fixtureFor(service) {
  const dir = join(root, 'hooks/medication-safety/fixtures');
  if (!existsSync(dir)) return undefined;
  for (const outcome of ['not-ok', 'ok']) {
    for (const f of readdirSync(join(dir, outcome)).filter((x) => x.endsWith('.json')).sort((a, b) => Number(b.includes('statin')) - Number(a.includes('statin')))) {
      const body = JSON.parse(readFileSync(join(dir, outcome, f), 'utf8'));
      if (body.hook === service.hook) return { name: `${outcome}/${f}`, body };
    }
  }
  return undefined;
}

// --- Baseline: a bare NestJS endpoint answering a fixed discovery document and a fixed card.
const FIXED_CARD = {
  cards: [{ uuid: randomUUID(), summary: 'Fixed card', indicator: 'info', source: { label: 'baseline' } }],
};
class BaselineController {
  discovery() {
    return { services: [{ id: 'x', hook: 'order-sign', description: 'baseline', title: 'Baseline' }] };
  }
  call() {
    return FIXED_CARD;
  }
}
Controller('baseline')(BaselineController);
Get('cds-services')(BaselineController.prototype, 'discovery', Object.getOwnPropertyDescriptor(BaselineController.prototype, 'discovery'));
Post('cds-services/x')(BaselineController.prototype, 'call', Object.getOwnPropertyDescriptor(BaselineController.prototype, 'call'));
HttpCode(200)(BaselineController.prototype, 'call', Object.getOwnPropertyDescriptor(BaselineController.prototype, 'call'));
class BaselineModule {}
Module({ controllers: [BaselineController] })(BaselineModule);

async function listen(app) {
  await app.listen(0, '127.0.0.1');
  return `http://127.0.0.1:${app.getHttpServer().address().port}`;
}

function run(opts) {
  return new Promise((resolve, reject) => {
    const instance = autocannon({ connections: CONNECTIONS, duration: DURATION, ...opts }, (err, result) => (err ? reject(err) : resolve(result)));
    autocannon.track(instance, { renderProgressBar: false, renderResultsTable: false, renderLatencyTable: false });
  });
}

function summary(result) {
  return { rps: result.requests.average, p50: result.latency.p50, p99: result.latency.p99, non2xx: result.non2xx, errors: result.errors };
}

// --- Hookwarden: the real AppModule with a bench EHR; every request carries a fresh JWT (jti is single-use).
const { privateKey, publicKey } = await generateKeyPair('ES384');
const kid = randomUUID();
const issuer = 'https://bench-ehr.test';
const dataDir = mkdtempSync(join(tmpdir(), 'hookwarden-bench-'));
const publicUrl = 'http://bench.hookwarden.test';
const config = {
  ...fileSchema.parse({
    // No smartClients: AppModule registers the bundled app, so card links are signed and snapshots stored as in production.
    ehrs: [{ issuer, jwks: { keys: [{ ...(await exportJWK(publicKey)), kid, alg: 'ES384' }] }, algorithms: ['ES384'] }],
  }),
  port: 0,
  publicUrl,
  dataDir,
  configPath: '(bench)',
};
const app = await NestFactory.create(AppModule.forRoot(config), { bodyParser: false, logger: ['error'] });
configureApp(app);
const hookwarden = await listen(app);
const baselineApp = await NestFactory.create(BaselineModule, { logger: ['error'] });
const baseline = await listen(baselineApp);

async function jwts(aud, n) {
  const now = Math.floor(Date.now() / 1000);
  return Promise.all(
    Array.from({ length: n }, () =>
      new SignJWT({ iss: issuer, aud, iat: now, exp: now + 300, jti: randomUUID() }).setProtectedHeader({ alg: 'ES384', typ: 'JWT', kid }).sign(privateKey),
    ),
  );
}

async function signedRun(url, aud, body) {
  // Enough tokens for a fast run; each request takes the next one.
  const tokens = await jwts(aud, 20_000);
  let i = 0;
  return run({
    url,
    method: body ? 'POST' : 'GET',
    ...(body ? { body: JSON.stringify(body), headers: { 'content-type': 'application/json' } } : {}),
    setupClient(client) {
      client.setHeaders({ ...(body ? { 'content-type': 'application/json' } : {}), authorization: `Bearer ${tokens[i++ % tokens.length]}` });
    },
    requests: [
      {
        setupRequest(req) {
          req.headers = { ...req.headers, authorization: `Bearer ${tokens[i++ % tokens.length]}` };
          return req;
        },
      },
    ],
  });
}

const rows = [];
function compare(name, subject, base) {
  const s = summary(subject);
  const b = summary(base);
  rows.push({ name, ...s, baselineRps: b.rps, baselineP50: b.p50, baselineP99: b.p99, ratio: s.rps / b.rps });
}

console.log(`Benchmarking for ${DURATION}s per run, ${CONNECTIONS} connections…`);
compare('GET /cds-services', await signedRun(`${hookwarden}/cds-services`, `${publicUrl}/cds-services`), await run({ url: `${baseline}/baseline/cds-services` }));

// The canonical demo: order-sign with the statin + macrolide scenario when present.
const service = [...services].sort((a, b) => Number(b.hook === 'order-sign') - Number(a.hook === 'order-sign')).find((s) => fixtureFor(s));
if (service) {
  const { name, body } = fixtureFor(service);
  const callBase = await run({ url: `${baseline}/baseline/cds-services/x`, method: 'POST', body: JSON.stringify(body), headers: { 'content-type': 'application/json' } });
  compare(`POST /cds-services/${service.id} (${name})`, await signedRun(`${hookwarden}/cds-services/${service.id}`, `${publicUrl}/cds-services/${service.id}`, body), callBase);
} else {
  console.log('No registered service with a fixture: service-call benchmark skipped.');
}

console.log('\nHTTP (requests/s and latency in ms; ratio = Hookwarden req/s ÷ baseline req/s, same run):');
for (const r of rows) {
  console.log(
    `  ${r.name}\n    Hookwarden ${r.rps.toFixed(0)} req/s, p50 ${r.p50} ms, p99 ${r.p99} ms (non-2xx ${r.non2xx}, errors ${r.errors})\n` +
      `    baseline   ${r.baselineRps.toFixed(0)} req/s, p50 ${r.baselineP50} ms, p99 ${r.baselineP99} ms\n    ratio      ${r.ratio.toFixed(3)}`,
  );
}

// --- Scope filter throughput on a 10,000-entry Bundle, against a loop that only reads resourceType.
const scopes = await import(dist('src/scopes/index.js'));
const entries = Array.from({ length: 10_000 }, (_, i) => ({
  resource: {
    resourceType: i % 3 === 0 ? 'MedicationRequest' : 'Observation',
    id: `r${i}`,
    status: 'active',
    subject: { reference: `Patient/${i % 10 === 0 ? 'other' : 'p1'}` },
    category: [{ coding: [{ system: 'http://terminology.hl7.org/CodeSystem/observation-category', code: i % 2 ? 'laboratory' : 'vital-signs' }] }],
  },
}));
const bundle = { resourceType: 'Bundle', type: 'searchset', entry: entries };
const granted = scopes.parse('patient/MedicationRequest.rs patient/Observation.rs?category=http://terminology.hl7.org/CodeSystem/observation-category|laboratory').resourceScopes;
const ctx = { patientId: 'p1' };
function time(fn, rounds) {
  fn();
  const start = process.hrtime.bigint();
  for (let r = 0; r < rounds; r++) fn();
  return Number(process.hrtime.bigint() - start) / 1e9;
}
let kept = 0;
const filterSeconds = time(() => {
  kept = scopes.filterBundle(bundle, 'search', granted, ctx).bundle.entry.length;
}, 20);
let seen = 0;
const baseSeconds = time(() => {
  seen = 0;
  for (const e of bundle.entry) if (typeof e.resource.resourceType === 'string') seen++;
}, 20);
const perSecond = (20 * entries.length) / filterSeconds;
const basePerSecond = (20 * seen) / baseSeconds;
console.log(
  `\nScope filter, 10,000-entry Bundle (${kept} kept):\n    filterBundle ${perSecond.toFixed(0)} resources/s\n    baseline     ${basePerSecond.toFixed(0)} resources/s (resourceType check only)\n    ratio        ${(perSecond / basePerSecond).toFixed(4)}`,
);

await app.close();
await baselineApp.close();
rmSync(dataDir, { recursive: true, force: true });

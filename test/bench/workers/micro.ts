// In-process rates, one at a time on the server core: raw EHR JWT verification (jose, node:crypto)
// and the scope filter over a 10,000-entry Bundle against a loop that only reads resourceType.
import { createPublicKey, verify } from 'node:crypto';
import { type CryptoKey, importJWK, jwtVerify } from 'jose';
import { filterBundle, parse } from '../../../src/scopes/index.js';
import { type BenchKey, ehrClaims, jwtSigner } from '../lib/keys.js';
import { serveWorker } from '../lib/processes.js';
import type { RateRow } from '../lib/rows.js';

export interface MicroInput {
  seconds: number;
  keys: BenchKey[];
}

/** Operations per second of `op`, run back to back for `seconds` after a short warm-up. */
async function rate(seconds: number, op: () => unknown, units = 1): Promise<number> {
  const warmUntil = performance.now() + Math.min(500, seconds * 250);
  while (performance.now() < warmUntil) await op();
  let done = 0;
  const start = performance.now();
  const until = start + seconds * 1000;
  while (performance.now() < until) {
    await op();
    done++;
  }
  return (done * units) / ((performance.now() - start) / 1000);
}

async function verifyRows(seconds: number, key: BenchKey): Promise<RateRow[]> {
  const token = jwtSigner(key)(ehrClaims('https://ehr.bench.test', 'http://bench.test/cds-services'));
  const cryptoKey = (await importJWK(key.publicJwk, key.alg)) as CryptoKey;
  const keyObject = createPublicKey({ key: key.publicJwk, format: 'jwk' });
  const [header, payload, signature] = token.split('.');
  const input = Buffer.from(`${header}.${payload}`);
  const sig = Buffer.from(signature, 'base64url');
  const options = key.alg === 'ES384' ? { key: keyObject, dsaEncoding: 'ieee-p1363' as const } : keyObject;
  if (!verify('sha384', input, options, sig)) throw new Error(`node:crypto rejected a valid ${key.alg} signature`);
  return [
    {
      kind: 'rate',
      id: `verify-jose-${key.alg.toLowerCase()}`,
      label: `jose jwtVerify ${key.alg} (cached CryptoKey, awaited one at a time)`,
      unit: 'verifies/s',
      value: await rate(seconds, () => jwtVerify(token, cryptoKey, { algorithms: [key.alg] })),
    },
    {
      kind: 'rate',
      id: `verify-node-${key.alg.toLowerCase()}`,
      label: `node:crypto verify ${key.alg} (KeyObject, synchronous)`,
      unit: 'verifies/s',
      value: await rate(seconds, () => verify('sha384', input, options, sig)),
    },
  ];
}

/** The 10,000-entry Bundle: a third MedicationRequests, a tenth for another patient, half the Observations outside the granted category. */
function bundle() {
  const entry = Array.from({ length: 10_000 }, (_, i) => ({
    resource: {
      resourceType: i % 3 === 0 ? 'MedicationRequest' : 'Observation',
      id: `r${i}`,
      status: 'active',
      subject: { reference: `Patient/${i % 10 === 0 ? 'other' : 'p1'}` },
      category: [{ coding: [{ system: 'http://terminology.hl7.org/CodeSystem/observation-category', code: i % 2 ? 'laboratory' : 'vital-signs' }] }],
    },
  }));
  return { resourceType: 'Bundle', type: 'searchset', entry };
}

async function filterRow(seconds: number): Promise<RateRow> {
  const b = bundle();
  const granted = parse('patient/MedicationRequest.rs patient/Observation.rs?category=http://terminology.hl7.org/CodeSystem/observation-category|laboratory').resourceScopes;
  const ctx = { patientId: 'p1' };
  const kept = filterBundle(b, 'search', granted, ctx).bundle.entry?.length ?? 0;
  const resourceTypeOnly = () => {
    let seen = 0;
    for (const e of b.entry) if (typeof e.resource.resourceType === 'string') seen++;
    return seen;
  };
  return {
    kind: 'rate',
    id: 'scope-filter',
    label: `filterBundle, 10,000-entry Bundle (${kept} kept)`,
    unit: 'resources/s',
    value: await rate(seconds, () => filterBundle(b, 'search', granted, ctx), b.entry.length),
    baseline: { label: 'resourceType-only loop', value: await rate(seconds, resourceTypeOnly, b.entry.length) },
  };
}

serveWorker<MicroInput, RateRow[]>(async ({ seconds, keys }) => {
  const rows: RateRow[] = [];
  for (const key of keys) rows.push(...(await verifyRows(seconds, key)));
  rows.push(await filterRow(seconds));
  return rows;
});

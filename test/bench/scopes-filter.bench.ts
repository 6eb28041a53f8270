// Scope-evaluator throughput: filterBundle() over a 10,000-entry prefetch Bundle, against a same-run baseline
// loop that only reads each entry's resourceType. Wired into `npm run bench`; reported as a ratio.
import { filterBundle, type BundleEntryLike, type ScopeBundle } from '../../src/scopes/index.js';

const ENTRIES = 10_000;
const MIN_MS = 1000;
const CAT = 'http://terminology.hl7.org/CodeSystem/observation-category';
const SCOPES = `patient/Observation.rs?category=${CAT}|laboratory patient/MedicationRequest.rs patient/Patient.r`;
const CTX = { patientId: 'p1', fhirBase: 'https://ehr.example.org/fhir' };

function makeBundle(): ScopeBundle {
  const entry: BundleEntryLike[] = [];
  for (let i = 0; i < ENTRIES; i++) {
    const patientId = i % 10 === 0 ? 'p2' : 'p1';
    const resource =
      i % 3 === 0
        ? { resourceType: 'MedicationRequest', id: `m${i}`, status: 'active', subject: { reference: `Patient/${patientId}` } }
        : {
            resourceType: 'Observation',
            id: `o${i}`,
            status: 'final',
            category: [{ coding: [{ system: CAT, code: i % 2 ? 'laboratory' : 'vital-signs' }] }],
            subject: { reference: i % 7 === 0 ? `${CTX.fhirBase}/Patient/${patientId}/_history/1` : `Patient/${patientId}` },
          };
    entry.push({ fullUrl: `${CTX.fhirBase}/${resource.resourceType}/${resource.id}`, resource, search: { mode: 'match' } });
  }
  return { resourceType: 'Bundle', type: 'searchset', entry };
}

/** Runs `pass` (which handles ENTRIES resources) repeatedly for at least MIN_MS; resources per second. */
function measure(pass: () => number): { perSecond: number; checksum: number } {
  let checksum = pass(); // warm-up
  let passes = 0;
  const start = performance.now();
  let elapsed = 0;
  while (elapsed < MIN_MS) {
    checksum += pass();
    passes++;
    elapsed = performance.now() - start;
  }
  return { perSecond: (passes * ENTRIES * 1000) / elapsed, checksum };
}

/** filterBundle() throughput vs. a plain resourceType loop over the same 10,000-entry Bundle. */
export async function benchFilter(): Promise<{ name: string; resourcesPerSecond: number; baselinePerSecond: number; ratio: number }> {
  const bundle = makeBundle();
  const entries = bundle.entry ?? [];
  const baseline = measure(() => {
    let n = 0;
    for (const e of entries) if (e.resource?.resourceType === 'Observation') n++;
    return n;
  });
  const filtered = measure(() => filterBundle(bundle, 'search', SCOPES, CTX).dropped);
  if (filtered.checksum <= 0 || baseline.checksum <= 0) throw new Error('benchmark fixture filtered nothing');
  return {
    name: 'scopes: filterBundle 10k entries',
    resourcesPerSecond: Math.round(filtered.perSecond),
    baselinePerSecond: Math.round(baseline.perSecond),
    ratio: filtered.perSecond / baseline.perSecond,
  };
}

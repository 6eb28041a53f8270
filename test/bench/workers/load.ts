// The load generator: one row per process, pinned to the load core by the bench. Tokens are signed
// here, before each timed window, so signing never competes with the requests being measured.
import autocannon from 'autocannon';
import { ehrClaims, jwtSigner } from '../lib/keys.js';
import { fillBody, type LoadAuth, type LoadResult, type LoadSpec } from '../lib/load.js';
import { serveWorker } from '../lib/processes.js';

/** Single-use tokens signed for the warm-up, which also measures the rate that sizes the timed pool. */
const WARMUP_TOKENS = 1000;
/** Round-robin pool for servers that only verify (no jti store). */
const CYCLED_TOKENS = 500;
/** The timed pool covers the warm-up rate × the window × this; a faster window ends when the pool does. */
const POOL_HEADROOM = 2;
const MAX_POOL = 300_000;

/** Per-request Authorization values, and what the notes say about them. */
interface Authorizer {
  /** Prepares for up to `wanted` requests; returns the request cap the pool allows (undefined: no cap). */
  prepare(wanted: number, connections: number): number | undefined;
  next(): string | undefined;
  describe(): string | undefined;
}

function authorizer(auth: LoadAuth): Authorizer {
  if (auth.kind === 'none') return { prepare: () => undefined, next: () => undefined, describe: () => undefined };
  if (auth.kind === 'bearer') return { prepare: () => undefined, next: () => auth.token, describe: () => 'one access token' };
  const sign = jwtSigner(auth.key);
  let pool: string[] = [];
  let used = 0;
  let signedFor = '';
  const fill = (n: number) => {
    const start = performance.now();
    pool = Array.from({ length: n }, () => sign(ehrClaims(auth.iss, auth.aud)));
    used = 0;
    signedFor = `${n} ${auth.key.alg} JWTs pre-signed in ${((performance.now() - start) / 1000).toFixed(1)} s`;
  };
  if (!auth.singleUse) {
    fill(CYCLED_TOKENS);
    return { prepare: () => undefined, next: () => pool[used++ % pool.length], describe: () => `${CYCLED_TOKENS} ${auth.key.alg} JWTs round-robin` };
  }
  return {
    prepare(wanted, connections) {
      const cap = Math.max(connections, Math.min(MAX_POOL, wanted));
      // autocannon builds a request ahead on each connection: a few tokens are signed and never sent.
      fill(cap + 4 * connections);
      return cap;
    },
    next: () => pool[used++],
    describe: () => `single-use: ${signedFor}`,
  };
}

interface Window {
  result: autocannon.Result;
  /** The pool ran out before the duration did. */
  cutShort: boolean;
}

function cannon(spec: LoadSpec, auth: Authorizer, seconds: number, cap: number | undefined): Promise<Window> {
  let seq = 0;
  const bodies = spec.bodies;
  return new Promise((resolve, reject) => {
    autocannon(
      {
        url: spec.url,
        method: spec.method,
        connections: spec.connections,
        duration: seconds,
        ...(cap !== undefined ? { maxOverallRequests: cap } : {}),
        // autocannon notices the end of a run only at its next sample: with the default 1 s, a window
        // whose pool drained at 2.25 s of 3 reported 3.04 s (req/s 26% low, and not flagged as cut short).
        // Result fields per sample (requests.average) are unused here; 2xx ÷ duration is per second.
        sampleInt: 100,
        headers: bodies ? { 'content-type': 'application/json' } : {},
        requests: [
          {
            setupRequest(req) {
              const token = auth.next();
              if (token !== undefined) req.headers = { ...req.headers, authorization: `Bearer ${token}` };
              if (bodies) req.body = fillBody(bodies[seq++ % bodies.length]);
              return req;
            },
          },
        ],
      },
      (err, result) => (err ? reject(err) : resolve({ result, cutShort: result.duration < seconds - 0.5 })),
    );
  });
}

function summary(window: Window): LoadResult {
  const r = window.result;
  const ok = r['2xx'];
  const statusCodes = Object.fromEntries(Object.entries(r.statusCodeStats ?? {}).map(([code, { count }]) => [code, Number(count)]));
  return {
    rps: ok / r.duration,
    p50: r.latency.p50,
    p99: r.latency.p99,
    responses: r.requests.total,
    durationSeconds: r.duration,
    non2xx: r.non2xx,
    errors: r.errors,
    statusCodes,
  };
}

serveWorker<LoadSpec, LoadResult>(async (spec) => {
  const auth = authorizer(spec.auth);
  const warm = await cannon(spec, auth, spec.warmupSeconds, auth.prepare(WARMUP_TOKENS, spec.connections));
  const warmRate = warm.result.requests.total / Math.max(warm.result.duration, 0.1);
  const timed = await cannon(spec, auth, spec.seconds, auth.prepare(Math.ceil(warmRate * spec.seconds * POOL_HEADROOM), spec.connections));
  const described = auth.describe();
  const notes = [described, timed.cutShort ? `pool ran out after ${timed.result.duration} s` : undefined].filter(Boolean);
  return { ...summary(timed), warmupResponses: warm.result.requests.total, ...(notes.length ? { tokens: notes.join('; ') } : {}) };
});

/** Run settings, from the environment; every row of a run uses the same ones. */
export interface Settings {
  /** Timed window per HTTP row (BENCH_SECONDS, default 10). */
  seconds: number;
  /** Warm-up per HTTP row, not measured (BENCH_WARMUP_SECONDS, default 2). */
  warmupSeconds: number;
  /** Per in-process rate (BENCH_MICRO_SECONDS, default 2). */
  microSeconds: number;
  /** Connection counts, each row runs at each (BENCH_CONNECTIONS, default "10,32"). */
  connections: number[];
  /** Databases the app rows run on (BENCH_DATABASES, default "pglite,postgres"; PostgreSQL only when installed). */
  databases: ('pglite' | 'postgres')[];
  /** Which groups of rows run (BENCH_SUITES, default "baselines,micro,app,scaling,analytics"). */
  suites: Suite[];
  /** Raw analytics events stored before the analytics rows (BENCH_ANALYTICS_EVENTS, default 1,000,000). */
  analyticsEvents: number;
  /** Sequential requests per analytics row (BENCH_ANALYTICS_REQUESTS, default 200). */
  analyticsRequests: number;
}

export const SUITES = ['baselines', 'micro', 'app', 'scaling', 'analytics'] as const;
export type Suite = (typeof SUITES)[number];

function positive(name: string, fallback: number): number {
  const raw = process.env[name];
  const value = raw === undefined || raw === '' ? fallback : Number(raw);
  if (!Number.isFinite(value) || value <= 0) throw new Error(`${name} must be a positive number, got ${raw}`);
  return value;
}

function list(name: string, fallback: string): string[] {
  return (process.env[name] || fallback)
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
}

export function readSettings(): Settings {
  const connections = list('BENCH_CONNECTIONS', '10,32').map(Number);
  if (connections.some((c) => !Number.isInteger(c) || c < 1)) throw new Error('BENCH_CONNECTIONS must list positive integers, e.g. 10,32');
  const databases = list('BENCH_DATABASES', 'pglite,postgres');
  if (databases.some((d) => d !== 'pglite' && d !== 'postgres')) throw new Error('BENCH_DATABASES lists pglite and/or postgres');
  const suites = list('BENCH_SUITES', SUITES.join(','));
  if (suites.some((x) => !(SUITES as readonly string[]).includes(x))) throw new Error(`BENCH_SUITES lists some of ${SUITES.join(', ')}`);
  return {
    suites: suites as Suite[],
    analyticsEvents: Math.round(positive('BENCH_ANALYTICS_EVENTS', 1_000_000)),
    analyticsRequests: Math.round(positive('BENCH_ANALYTICS_REQUESTS', 200)),
    seconds: positive('BENCH_SECONDS', 10),
    warmupSeconds: positive('BENCH_WARMUP_SECONDS', 2),
    microSeconds: positive('BENCH_MICRO_SECONDS', 2),
    connections,
    databases: databases as Settings['databases'],
  };
}

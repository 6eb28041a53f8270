import { randomUUID } from 'node:crypto';
import type { BenchKey } from './keys.js';
import { LOAD_CORE, runWorker } from './processes.js';

/** How each request is authorised. */
export type LoadAuth =
  | { kind: 'none' }
  /** One bearer token for every request (an OAuth access token). */
  | { kind: 'bearer'; token: string }
  /**
   * An EHR JWT per request. `singleUse`: a pre-signed pool, each token sent once (the server keeps
   * every jti); otherwise a small pool sent round-robin (for servers that only verify).
   */
  | { kind: 'ehr-jwt'; key: BenchKey; iss: string; aud: string; singleUse: boolean };

/** One timed row, as the load process receives it. */
export interface LoadSpec {
  url: string;
  method: 'GET' | 'POST';
  /** Request bodies, sent round-robin, each through fillBody. */
  bodies?: string[];
  auth: LoadAuth;
  connections: number;
  warmupSeconds: number;
  seconds: number;
}

export interface LoadResult {
  /** 2xx responses per second of the timed window. */
  rps: number;
  /** Latency percentiles in ms (autocannon's, over every response of the timed window). */
  p50: number;
  p99: number;
  responses: number;
  /** Responses of the warm-up before the window (a CPU-per-call figure counts them too). */
  warmupResponses?: number;
  durationSeconds: number;
  non2xx: number;
  errors: number;
  statusCodes: Record<string, number>;
  /** How the tokens were made, for the table's notes. */
  tokens?: string;
}

const UUID = /\{\{uuid\}\}/g;

/**
 * A body template made concrete for one request: every `{{uuid}}` becomes a fresh UUID, so each
 * hook call carries its own hookInstance as an EHR's do, and each feedback item is a new one.
 */
export function fillBody(template: string): string {
  return template.replace(UUID, () => randomUUID());
}

/** Runs one row from the load core, in a fresh process, and returns its figures. */
export function runLoad(spec: LoadSpec): Promise<LoadResult> {
  return runWorker<LoadSpec, LoadResult>('load generator', '../workers/load.ts', spec, LOAD_CORE);
}

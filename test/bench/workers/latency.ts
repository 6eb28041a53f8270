// Sequential latency from the load core: one request at a time, so each figure is what one
// dashboard or BI call waits, not a queue under load.
import { serveWorker } from '../lib/processes.js';

export interface LatencyInput {
  url: string;
  token: string;
  warmup: number;
  requests: number;
}

export interface LatencyResult {
  p50: number;
  p95: number;
  p99: number;
  responses: number;
  seconds: number;
  statusCodes: Record<string, number>;
  bytes: number;
}

/** Nearest-rank percentile of sorted values. */
const percentile = (sorted: number[], p: number) => sorted[Math.max(0, Math.ceil(p * sorted.length) - 1)] ?? Number.NaN;

serveWorker<LatencyInput, LatencyResult>(async ({ url, token, warmup, requests }) => {
  const headers = { authorization: `Bearer ${token}` };
  const statusCodes: Record<string, number> = {};
  let bytes = 0;
  for (let i = 0; i < warmup; i++) await (await fetch(url, { headers })).arrayBuffer();
  const times: number[] = [];
  const started = performance.now();
  for (let i = 0; i < requests; i++) {
    const t0 = performance.now();
    const res = await fetch(url, { headers });
    bytes = (await res.arrayBuffer()).byteLength;
    times.push(performance.now() - t0);
    statusCodes[res.status] = (statusCodes[res.status] ?? 0) + 1;
  }
  const seconds = (performance.now() - started) / 1000;
  times.sort((a, b) => a - b);
  return { p50: percentile(times, 0.5), p95: percentile(times, 0.95), p99: percentile(times, 0.99), responses: requests, seconds, statusCodes, bytes };
});

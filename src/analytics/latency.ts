/**
 * Call latency is kept as a log-scale histogram: bin b counts calls that took [B^b, B^(b+1)) ms, so
 * hour rollups add up over any range and a percentile read from them is within B − 1 (2 %).
 */
export const LATENCY_BIN_BASE = 1.02;

/** The bin a latency falls in (the rollup SQL computes the same: floor(ln(ms) / ln(B))). */
export function latencyBin(ms: number): number {
  return Math.floor(Math.log(Math.max(ms, 0.01)) / Math.log(LATENCY_BIN_BASE));
}

/** p50/p95/p99 in ms; null each when there were no calls. */
export interface LatencyPercentiles {
  p50: number | null;
  p95: number | null;
  p99: number | null;
}

/**
 * Nearest-rank percentiles (the smallest bin whose cumulative count reaches ⌈p·N⌉), each reported as
 * its bin's geometric middle, rounded to 0.01 ms. `bins` may come in any order.
 */
export function percentiles(bins: readonly { bin: number; count: number }[]): LatencyPercentiles {
  const sorted = [...bins].filter((b) => b.count > 0).sort((a, b) => a.bin - b.bin);
  const total = sorted.reduce((n, b) => n + b.count, 0);
  const at = (p: number): number | null => {
    if (total === 0) return null;
    const rank = Math.ceil(p * total);
    let seen = 0;
    for (const b of sorted) {
      seen += b.count;
      if (seen >= rank) return Math.round(LATENCY_BIN_BASE ** (b.bin + 0.5) * 100) / 100;
    }
    return null;
  };
  return { p50: at(0.5), p95: at(0.95), p99: at(0.99) };
}

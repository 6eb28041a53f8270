import { LATENCY_BIN_BASE, latencyBin, percentiles } from './latency.js';

const middle = (bin: number) => Math.round(LATENCY_BIN_BASE ** (bin + 0.5) * 100) / 100;

describe('latency histogram', () => {
  it('puts a latency in the bin whose bounds hold it, within 2 %', () => {
    for (const ms of [0.3, 1, 7.5, 42, 250, 4000]) {
      const b = latencyBin(ms);
      expect(LATENCY_BIN_BASE ** b).toBeLessThanOrEqual(ms);
      expect(LATENCY_BIN_BASE ** (b + 1)).toBeGreaterThan(ms);
      expect(Math.abs(middle(b) - ms) / ms).toBeLessThan(0.02);
    }
  });

  it('reads nearest-rank p50/p95/p99 from summed bins', () => {
    // 100 calls: 90 at bin 100, 5 at bin 150, 4 at bin 200, 1 at bin 250.
    const bins = [
      { bin: 200, count: 4 },
      { bin: 100, count: 90 },
      { bin: 250, count: 1 },
      { bin: 150, count: 5 },
    ];
    expect(percentiles(bins)).toEqual({ p50: middle(100), p95: middle(150), p99: middle(200) });
  });

  it('answers null percentiles when there were no calls', () => {
    expect(percentiles([])).toEqual({ p50: null, p95: null, p99: null });
    expect(percentiles([{ bin: 3, count: 0 }])).toEqual({ p50: null, p95: null, p99: null });
  });

  it('one call is every percentile', () => {
    expect(percentiles([{ bin: latencyBin(12), count: 1 }])).toEqual({ p50: middle(latencyBin(12)), p95: middle(latencyBin(12)), p99: middle(latencyBin(12)) });
  });
});

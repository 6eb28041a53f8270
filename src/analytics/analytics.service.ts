import { Inject, Injectable, Logger, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { APP_CONFIG, type AppConfig } from '../config/app-config.js';
import type { AnalyticsQuery } from './query.js';
import { RollupsRepository } from './rollups.repository.js';
import { type Bucket, buildBuckets, buildSummary, type Summary } from './summary.js';

/** Rows of each raw table folded per rollup statement: bounds one transaction, on a read or on the timer. */
export const ROLLUP_BATCH = 20_000;
const EVERY_MS = 30_000;

/**
 * The analytics contract (DESIGN.md flow 6): folds raw events into hour rollups (on a timer, and
 * before every read so an answer includes what was just recorded), answers summaries and time
 * series from the rollups only, and purges raw events after `analytics.retentionDays`.
 */
@Injectable()
export class AnalyticsService implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('Analytics');
  private timer?: NodeJS.Timeout;

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(RollupsRepository) private readonly rollups: RollupsRepository,
  ) {}

  onApplicationBootstrap(): void {
    this.timer = setInterval(() => {
      this.rollUpAll().catch((e: unknown) => this.logger.warn(`rollup failed: ${(e as Error).name}`));
    }, EVERY_MS);
    this.timer.unref();
  }

  onApplicationShutdown(): void {
    clearInterval(this.timer);
  }

  /** Folds every pending raw event, batch after batch. Returns how many it folded. */
  async rollUpAll(): Promise<number> {
    let total = 0;
    for (;;) {
      const n = await this.rollups.fold(ROLLUP_BATCH);
      total += n;
      if (n === 0) return total;
    }
  }

  /** Rolls up, then deletes rolled-up raw events older than the retention period; the rollups keep their totals. */
  async purge(now: Date): Promise<void> {
    await this.rollUpAll();
    await this.rollups.purgeRawBefore(new Date(now.getTime() - this.config.analytics.retentionDays * 86_400_000));
  }

  async summary(q: AnalyticsQuery): Promise<Summary> {
    await this.rollups.fold(ROLLUP_BATCH);
    const [services, latency, rules, reasons] = await Promise.all([
      this.rollups.serviceTotals(q),
      this.rollups.latencyBins(q),
      this.rollups.ruleTotals(q),
      this.rollups.reasonTotals(q),
    ]);
    return buildSummary(q, { services, latency, rules, reasons });
  }

  async timeseries(q: AnalyticsQuery): Promise<{ buckets: Bucket[] }> {
    await this.rollups.fold(ROLLUP_BATCH);
    return { buckets: buildBuckets(q, q.bucket, await this.rollups.buckets(q, q.bucket)) };
  }
}

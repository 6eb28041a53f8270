import { Inject, Injectable, Logger, type OnApplicationShutdown, type OnModuleInit } from '@nestjs/common';
import { CdsRepository, type CardRow, type InvocationRow } from '../store/cds.repository.js';

/** Flush at least this often, and as soon as this many rows are queued. */
export const FLUSH_INTERVAL_MS = 200;
const FLUSH_AT = 200;
/** On a database outage, keep at most this many rows for the next try; older ones are dropped and counted in the log. */
const MAX_QUEUED = 50_000;

/**
 * Write-behind recorder for invocations and issued cards (DESIGN.md flow 1: "record the invocation
 * for analytics without slowing the response"). Rows are queued in memory and written in batches on
 * an interval, and on shutdown so a graceful stop loses nothing.
 */
@Injectable()
export class InvocationRecorder implements OnModuleInit, OnApplicationShutdown {
  private readonly logger = new Logger(InvocationRecorder.name);
  private invocations: InvocationRow[] = [];
  private cards: CardRow[] = [];
  private timer: NodeJS.Timeout | undefined;
  private flushing: Promise<void> = Promise.resolve();

  constructor(@Inject(CdsRepository) private readonly repository: CdsRepository) {}

  onModuleInit(): void {
    this.timer = setInterval(() => void this.flush(), FLUSH_INTERVAL_MS);
    this.timer.unref();
  }

  async onApplicationShutdown(): Promise<void> {
    clearInterval(this.timer);
    await this.flush();
  }

  /** Queues one invocation and the cards it issued. */
  record(invocation: InvocationRow, cards: CardRow[]): void {
    this.invocations.push(invocation);
    this.cards.push(...cards);
    if (this.invocations.length + this.cards.length >= FLUSH_AT) void this.flush();
  }

  /** Writes everything queued so far; resolves once it is in the database (flushes run one at a time). */
  flush(): Promise<void> {
    this.flushing = this.flushing.then(() => this.writeQueued());
    return this.flushing;
  }

  private async writeQueued(): Promise<void> {
    if (this.invocations.length === 0 && this.cards.length === 0) return;
    const invocations = this.invocations;
    const cards = this.cards;
    this.invocations = [];
    this.cards = [];
    try {
      await this.repository.insertBatch(invocations, cards);
    } catch (e) {
      this.invocations = [...invocations, ...this.invocations].slice(-MAX_QUEUED);
      this.cards = [...cards, ...this.cards].slice(-MAX_QUEUED);
      this.logger.error(`could not write ${invocations.length} invocations/${cards.length} cards, will retry: ${(e as Error).name}`);
    }
  }
}

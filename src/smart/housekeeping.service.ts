import { Inject, Injectable, Logger, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { DATABASE, type Database } from '../store/database.js';

const EVERY_MS = 10 * 60 * 1000;
/** Expired codes stay a day so a late replay is still recognised as one (and revokes its grant). */
const CODE_GRACE_MS = 24 * 3600 * 1000;

/**
 * Deletes what can no longer be used: expired launches, transactions, codes, access and refresh
 * tokens and assertion ids. Runs on every instance; the DELETEs are idempotent.
 */
@Injectable()
export class HousekeepingService implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('SmartHousekeeping');
  private timer?: NodeJS.Timeout;

  constructor(@Inject(DATABASE) private readonly db: Database) {}

  onApplicationBootstrap(): void {
    this.timer = setInterval(() => {
      this.purge(new Date()).catch((e: unknown) => this.logger.warn(`purge failed: ${(e as Error).name}`));
    }, EVERY_MS);
    this.timer.unref();
  }

  onApplicationShutdown(): void {
    clearInterval(this.timer);
  }

  /** Removes rows that expired before `now`. */
  async purge(now: Date): Promise<void> {
    await this.db.query('DELETE FROM smart_launches WHERE expires_at < $1', [now]);
    await this.db.query('DELETE FROM smart_transactions WHERE expires_at < $1', [now]);
    await this.db.query('DELETE FROM smart_codes WHERE expires_at < $1', [new Date(now.getTime() - CODE_GRACE_MS)]);
    await this.db.query('DELETE FROM smart_access_tokens WHERE expires_at < $1', [now]);
    await this.db.query('DELETE FROM smart_refresh_tokens WHERE expires_at < $1', [now]);
    await this.db.query('DELETE FROM smart_assertion_jtis WHERE expires_at < $1', [now]);
  }
}

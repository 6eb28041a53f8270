import { Inject, Injectable, Logger, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { AssertionJtisRepository } from './assertion-jtis.repository.js';
import { AuthorizationTransactionsRepository } from './authorization-transactions.repository.js';
import { GrantsRepository } from './grants.repository.js';
import { LaunchesRepository } from './launches.repository.js';

const EVERY_MS = 10 * 60 * 1000;
/** Expired codes stay a day so a late replay is still recognised as one (and revokes its grant). */
const CODE_GRACE_MS = 24 * 3600 * 1000;
/** Assertion ids outlive their assertion's `exp` by more than the clock skew it is accepted with, so no replay slips through. */
const ASSERTION_JTI_GRACE_MS = 10 * 60 * 1000;

/**
 * Deletes what can no longer be used: expired launches, transactions, codes, access and refresh
 * tokens and assertion ids. Runs on every instance; the DELETEs are idempotent.
 */
@Injectable()
export class HousekeepingService implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('SmartHousekeeping');
  private timer?: NodeJS.Timeout;

  constructor(
    @Inject(GrantsRepository) private readonly grants: GrantsRepository,
    @Inject(LaunchesRepository) private readonly launches: LaunchesRepository,
    @Inject(AuthorizationTransactionsRepository) private readonly transactions: AuthorizationTransactionsRepository,
    @Inject(AssertionJtisRepository) private readonly assertionJtis: AssertionJtisRepository,
  ) {}

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
    const ago = (ms: number) => new Date(now.getTime() - ms);
    await this.launches.purgeExpired(now);
    await this.transactions.purgeExpired(now);
    await this.grants.purgeExpired(now, ago(CODE_GRACE_MS));
    await this.assertionJtis.purgeExpired(ago(ASSERTION_JTI_GRACE_MS));
  }
}

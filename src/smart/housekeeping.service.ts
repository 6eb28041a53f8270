import { Inject, Injectable, Logger, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { APP_CONFIG, type AppConfig } from '../config/app-config.js';
import { AssertionJtisRepository } from './assertion-jtis.repository.js';
import { AuthorizationTransactionsRepository } from './authorization-transactions.repository.js';
import { GrantsRepository } from './grants.repository.js';
import { LaunchSnapshotRepository } from './launch-snapshots.repository.js';
import { LaunchesRepository } from './launches.repository.js';

const EVERY_MS = 10 * 60 * 1000;
/** Expired codes stay a day so a late replay is still recognised as one (and revokes its grant). */
const CODE_GRACE_MS = 24 * 3600 * 1000;
/** Assertion ids outlive their assertion's `exp` by more than the clock skew it is accepted with, so no replay slips through. */
const ASSERTION_JTI_GRACE_MS = 10 * 60 * 1000;

/** Another folder's purge of its own rows, run on this schedule. */
export type Purge = (now: Date) => Promise<void>;

/**
 * Deletes what can no longer be used: expired launches, transactions, codes, access and refresh
 * tokens, assertion ids and launch snapshots, then whatever the other folders registered (each
 * deletes its own rows through its repository). Runs on every instance; the DELETEs are idempotent.
 */
@Injectable()
export class HousekeepingService implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('SmartHousekeeping');
  private readonly registered: Purge[] = [];
  private timer?: NodeJS.Timeout;

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(GrantsRepository) private readonly grants: GrantsRepository,
    @Inject(LaunchesRepository) private readonly launches: LaunchesRepository,
    @Inject(LaunchSnapshotRepository) private readonly snapshots: LaunchSnapshotRepository,
    @Inject(AuthorizationTransactionsRepository) private readonly transactions: AuthorizationTransactionsRepository,
    @Inject(AssertionJtisRepository) private readonly assertionJtis: AssertionJtisRepository,
  ) {}

  /** Adds a folder's purge to every run. */
  register(purge: Purge): void {
    this.registered.push(purge);
  }

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
    const { link, launch, accessToken, refreshToken } = this.config.lifetimes;
    await this.launches.purgeExpired(now);
    await this.transactions.purgeExpired(now);
    await this.grants.purgeExpired(now, ago(CODE_GRACE_MS));
    await this.assertionJtis.purgeExpired(ago(ASSERTION_JTI_GRACE_MS));
    // A card's link mints launches until it expires, each redeemable for `launch` seconds; a grant from
    // a redeemed one may first read the snapshot as long as its tokens live.
    const settled = (link + launch) * 1000;
    await this.snapshots.purge(ago(settled), ago(settled + Math.max(accessToken, refreshToken) * 1000));
    for (const purge of this.registered) await purge(now);
  }
}

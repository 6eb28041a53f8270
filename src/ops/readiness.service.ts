import { setTimeout as sleep } from 'node:timers/promises';
import { Inject, Injectable } from '@nestjs/common';
import { HealthCheckService, type HealthCheckResult, HealthIndicatorService } from '@nestjs/terminus';
import { APP_CONFIG, type AppConfig } from '../config/app-config.js';
import { DATABASE, type Database } from '../store/database.js';
import { pendingMigrations } from '../store/migrate.js';

/** Whether the authorization server's signing keys are loaded; bound in app.module.ts (ops/ imports no smart/). */
export const SIGNING_KEYS_LOADED = Symbol('SIGNING_KEYS_LOADED');
export type SigningKeysLoaded = () => Promise<boolean>;

/** `work`'s value, or undefined when it fails or takes longer than `ms`: a probe answers in bounded time. */
async function within<T>(work: Promise<T>, ms: number): Promise<T | undefined> {
  const timer = new AbortController();
  try {
    return await Promise.race([work, sleep(ms, undefined, { signal: timer.signal })]);
  } catch {
    return undefined;
  } finally {
    timer.abort();
  }
}

/**
 * `/healthz`: the process is up and answering (a liveness probe restarts it otherwise). `/readyz`:
 * it can serve: the database answers within its connect bound, every migration is applied and
 * the signing keys are loaded; 503 otherwise, so a load balancer sends calls elsewhere meanwhile.
 */
@Injectable()
export class ReadinessService {
  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(DATABASE) private readonly db: Database,
    @Inject(SIGNING_KEYS_LOADED) private readonly signingKeysLoaded: SigningKeysLoaded,
    @Inject(HealthCheckService) private readonly health: HealthCheckService,
    @Inject(HealthIndicatorService) private readonly indicator: HealthIndicatorService,
  ) {}

  live(): Promise<HealthCheckResult> {
    return this.health.check([]);
  }

  async ready(): Promise<HealthCheckResult> {
    const bound = this.config.database.connectTimeoutMs;
    const [pending, keys] = await Promise.all([within(pendingMigrations(this.db), bound), within(this.signingKeysLoaded(), bound)]);
    const database = this.indicator.check('database');
    const migrations = this.indicator.check('migrations');
    const signingKeys = this.indicator.check('signingKeys');
    return this.health.check([
      () => (pending ? database.up({ kind: this.db.kind }) : database.down({ kind: this.db.kind, message: `no answer within ${bound} ms` })),
      () => (pending?.length === 0 ? migrations.up() : migrations.down({ pending: pending ?? 'unknown' })),
      () => (keys === true ? signingKeys.up() : signingKeys.down()),
    ]);
  }
}

import { setTimeout as sleep } from 'node:timers/promises';
import { Inject, Injectable } from '@nestjs/common';
import { type HealthIndicatorFunction, HealthIndicatorService } from '@nestjs/terminus';

/** Whether the authorization server's signing keys are loaded; bound in app.module.ts (ops/ imports no smart/). */
export const SIGNING_KEYS_LOADED = Symbol('SIGNING_KEYS_LOADED');
export type SigningKeysLoaded = () => Promise<boolean>;

/** What readiness asks of the rest of the app, built by OpsModule. */
export interface ReadinessProbes {
  /** How long a probe waits for an answer: the database's connect bound. */
  boundMs: number;
  databaseKind: string;
  /** The migrations not yet applied; throws when the database does not answer. */
  pendingMigrations: () => Promise<string[]>;
  signingKeysLoaded: SigningKeysLoaded;
}
export const READINESS_PROBES = Symbol('READINESS_PROBES');

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
 * `/readyz`: the process can serve: the database answers within its connect bound, every migration
 * is applied and the signing keys are loaded; otherwise terminus answers 503, so a load balancer
 * sends calls elsewhere meanwhile.
 */
@Injectable()
export class ReadinessService {
  constructor(
    @Inject(READINESS_PROBES) private readonly probes: ReadinessProbes,
    @Inject(HealthIndicatorService) private readonly indicator: HealthIndicatorService,
  ) {}

  /** The three indicators, from one bounded probe of the database and the keys. */
  indicators(): HealthIndicatorFunction[] {
    const { boundMs: bound, databaseKind: kind } = this.probes;
    const probe = Promise.all([within(this.probes.pendingMigrations(), bound), within(this.probes.signingKeysLoaded(), bound)]);
    const database = this.indicator.check('database');
    const migrations = this.indicator.check('migrations');
    const signingKeys = this.indicator.check('signingKeys');
    return [
      async () => ((await probe)[0] ? database.up({ kind }) : database.down({ kind, message: `no answer within ${bound} ms` })),
      async () => {
        const [pending] = await probe;
        return pending?.length === 0 ? migrations.up() : migrations.down({ pending: pending ?? 'unknown' });
      },
      async () => ((await probe)[1] === true ? signingKeys.up() : signingKeys.down()),
    ];
  }
}

import { Inject, Injectable } from '@nestjs/common';
import { JtiRepository } from './jti.repository.js';

/** How often one instance purges expired jti rows, in ms. */
const PURGE_INTERVAL_MS = 60_000;

/**
 * Single use of CDS client JWT ids across all instances (best practices "JWT" step 6): the primary
 * key makes the insert the arbiter, so two instances racing on one jti see exactly one row inserted.
 */
@Injectable()
export class JtiStore {
  private lastPurge = 0;

  constructor(@Inject(JtiRepository) private readonly repository: JtiRepository) {}

  /**
   * Records `jti` of `issuer` until `expiresAt` (epoch ms). Returns false when it was already used.
   * `now` (epoch ms) drives the occasional purge of rows that can no longer match a valid token.
   */
  async claim(issuer: string, jti: string, expiresAt: number, now: number): Promise<boolean> {
    const fresh = await this.repository.insert(issuer, jti, new Date(expiresAt));
    if (now - this.lastPurge >= PURGE_INTERVAL_MS) {
      this.lastPurge = now;
      await this.repository.purgeExpired(new Date(now));
    }
    return fresh;
  }
}

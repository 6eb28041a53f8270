import { randomBytes } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { SecretsRepository } from './secrets.repository.js';

/**
 * HMAC secrets shared by all instances: generated once (first writer wins) and kept in the database,
 * so a link signed by one instance verifies on another.
 */
@Injectable()
export class SecretsService {
  private readonly cache = new Map<string, Promise<Buffer>>();

  constructor(@Inject(SecretsRepository) private readonly repository: SecretsRepository) {}

  secret(name: string): Promise<Buffer> {
    let pending = this.cache.get(name);
    if (!pending) {
      pending = this.load(name);
      pending.catch(() => this.cache.delete(name));
      this.cache.set(name, pending);
    }
    return pending;
  }

  private async load(name: string): Promise<Buffer> {
    return Buffer.from(await this.repository.getOrInsert(name, randomBytes(32).toString('base64url')), 'base64url');
  }
}

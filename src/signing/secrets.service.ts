import { randomBytes } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { DATABASE, type Database } from '../store/database.js';

/**
 * HMAC secrets shared by all instances: generated once (first writer wins) and kept in the database,
 * so a link signed by one instance verifies on another.
 */
@Injectable()
export class SecretsService {
  private readonly cache = new Map<string, Promise<Buffer>>();

  constructor(@Inject(DATABASE) private readonly db: Database) {}

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
    await this.db.query('INSERT INTO signing_secrets (name, secret) VALUES ($1, $2) ON CONFLICT (name) DO NOTHING', [
      name,
      randomBytes(32).toString('base64url'),
    ]);
    const [row] = await this.db.query<{ secret: string }>('SELECT secret FROM signing_secrets WHERE name = $1', [name]);
    if (!row) throw new Error(`signing secret ${name} missing after insert`);
    return Buffer.from(row.secret, 'base64url');
  }
}

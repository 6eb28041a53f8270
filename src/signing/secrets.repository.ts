import { Inject, Injectable } from '@nestjs/common';
import { DATABASE, type Database } from '../store/database.js';

/** Named HMAC secrets (signing_secrets), shared by every instance. */
@Injectable()
export class SecretsRepository {
  constructor(@Inject(DATABASE) private readonly db: Database) {}

  /** The stored secret named `name`, storing `candidate` first if there is none (the first writer wins). */
  async getOrInsert(name: string, candidate: string): Promise<string> {
    await this.db.query('INSERT INTO signing_secrets (name, secret) VALUES ($1, $2) ON CONFLICT (name) DO NOTHING', [name, candidate]);
    const [row] = await this.db.query<{ secret: string }>('SELECT secret FROM signing_secrets WHERE name = $1', [name]);
    if (!row) throw new Error(`signing secret ${name} missing after insert`);
    return row.secret;
  }
}

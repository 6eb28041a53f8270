import { Inject, Injectable } from '@nestjs/common';
import { DATABASE, type Database } from '../../store/database.js';
import type { OverrideLevel } from './override-types.js';

/** One override event as analytics reads it: who, rule, level, client, when; no PHI beyond ids. */
export interface OverrideEvent {
  event: 'requested' | 'approved' | 'denied' | 'used' | 'refused';
  serviceId?: string;
  rule: string;
  level: OverrideLevel;
  clientId: string;
  userRef?: string;
  grantId?: string;
  overrideJti?: string;
}

/**
 * The step-up override aggregate: its events (override_events) and its single-use consumption
 * (override_uses). A use is one conditional INSERT, so two instances can never both accept one override.
 */
@Injectable()
export class OverridesRepository {
  constructor(@Inject(DATABASE) private readonly db: Database) {}

  async record(events: readonly OverrideEvent[], at: Date): Promise<void> {
    if (events.length === 0) return;
    const rows = events.map((e) => [e.event, e.serviceId ?? null, e.rule, e.level, e.clientId, e.userRef ?? null, e.grantId ?? null, e.overrideJti ?? null]);
    await this.db.query(
      `INSERT INTO override_events (at, event, service_id, rule, level, client_id, user_ref, grant_id, override_jti)
       SELECT $1, r->>0, r->>1, r->>2, r->>3, r->>4, r->>5, r->>6, r->>7 FROM jsonb_array_elements($2::jsonb) AS r`,
      [at, JSON.stringify(rows)],
    );
  }

  /** Marks the override token `jti` used; false when it already was (here or on another instance). */
  async consume(jti: string, requestJtis: readonly string[], at: Date): Promise<boolean> {
    const rows = await this.db.query(
      'INSERT INTO override_uses (jti, request_jti, used_at) VALUES ($1, $2, $3) ON CONFLICT (jti) DO NOTHING RETURNING 1',
      [jti, requestJtis.join(' '), at],
    );
    return rows.length === 1;
  }

  /** True when a write already used an override answering one of these override requests. */
  async requestUsed(requestJti: string): Promise<boolean> {
    const rows = await this.db.query("SELECT 1 FROM override_uses WHERE $1 = ANY (string_to_array(request_jti, ' ')) LIMIT 1", [requestJti]);
    return rows.length > 0;
  }

  /** Events, newest last, for the tests and the analytics rollups' readers. */
  events(): Promise<(OverrideEvent & { at: Date })[]> {
    return this.db.query(
      `SELECT at, event, service_id AS "serviceId", rule, level, client_id AS "clientId", user_ref AS "userRef", grant_id AS "grantId", override_jti AS "overrideJti"
         FROM override_events ORDER BY id`,
    );
  }
}

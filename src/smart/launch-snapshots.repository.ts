import { Inject, Injectable } from '@nestjs/common';
import { emit } from '../http/telemetry.js';
import { DATABASE, type Database, type Queryable } from '../store/database.js';
import { CommitScheduler, GroupCommit } from '../store/group-commit.js';

/** Most calls' snapshots in one statement. */
const MAX_BATCH = 128;

interface SnapshotRow {
  hook_instance: string;
  resources: readonly SnapshotResource[];
  created_at: Date;
}

/** One row per hookInstance for a batch, the latest call's winning, as two statements in a row would leave it. */
export function latestPerHookInstance(rows: readonly SnapshotRow[]): SnapshotRow[] {
  return [...new Map(rows.map((r) => [r.hook_instance, r])).values()];
}

/** A FHIR resource as the snapshot keeps it: the launch data is opaque to the authorization server. */
export interface SnapshotResource {
  resourceType: string;
  id: string;
  [key: string]: unknown;
}

/**
 * The launch data of a hook call: what an app launched from one of its cards may read, stored as one
 * document per hookInstance when the card is issued and handed to /fhir when a launch first reads it.
 */
@Injectable()
export class LaunchSnapshotRepository {
  private readonly batches: GroupCommit<SnapshotRow, void>;

  constructor(
    @Inject(DATABASE) private readonly db: Database,
    @Inject(CommitScheduler) commits: CommitScheduler,
  ) {
    this.batches = new GroupCommit(commits, (q, rows) => this.putBatch(q, rows), { maxBatch: MAX_BATCH, onCommit: (size) => emit('store.batch', { table: 'launch_snapshots', size }) });
  }

  /**
   * Stores (or replaces, for a hookInstance called again) the call's resources; resolves once
   * committed. Concurrent calls share one statement (group commit).
   */
  put(hookInstance: string, resources: readonly SnapshotResource[], now: Date): Promise<void> {
    return this.batches.submit({ hook_instance: hookInstance, resources, created_at: now });
  }

  private async putBatch(q: Queryable, rows: SnapshotRow[]): Promise<void[]> {
    await q.query(
      `INSERT INTO launch_snapshots (hook_instance, resources, created_at)
       SELECT hook_instance, resources, created_at FROM jsonb_to_recordset($1::jsonb) AS x(hook_instance text, resources jsonb, created_at timestamptz)
       ON CONFLICT (hook_instance) DO UPDATE SET resources = EXCLUDED.resources, created_at = EXCLUDED.created_at, materialized_at = NULL, claimed_at = NULL`,
      [JSON.stringify(latestPerHookInstance(rows))],
    );
    return rows.map(() => undefined);
  }

  /** The resources of a snapshot /fhir has not yet copied, or undefined. */
  async pending(hookInstance: string): Promise<SnapshotResource[] | undefined> {
    const [row] = await this.db.query<{ resources: SnapshotResource[] }>(
      'SELECT resources FROM launch_snapshots WHERE hook_instance = $1 AND materialized_at IS NULL',
      [hookInstance],
    );
    return row?.resources;
  }

  /** Records that a launch from the hook call was redeemed: a grant may now read the snapshot. */
  async claim(hookInstance: string, now: Date): Promise<void> {
    await this.db.query('UPDATE launch_snapshots SET claimed_at = $2 WHERE hook_instance = $1 AND claimed_at IS NULL', [hookInstance, now]);
  }

  /** Records that /fhir holds the snapshot's resources now. */
  async markMaterialized(hookInstance: string, now: Date): Promise<void> {
    await this.db.query('UPDATE launch_snapshots SET materialized_at = $2 WHERE hook_instance = $1', [hookInstance, now]);
  }

  /**
   * Deletes the snapshots no grant can still need: those created before `settledBefore` that /fhir
   * already copied or no launch ever redeemed, and every one created before `anyBefore`.
   */
  async purge(settledBefore: Date, anyBefore: Date): Promise<void> {
    await this.db.query(
      `DELETE FROM launch_snapshots
        WHERE (created_at < $1 AND (materialized_at IS NOT NULL OR claimed_at IS NULL)) OR created_at < $2`,
      [settledBefore, anyBefore],
    );
  }
}

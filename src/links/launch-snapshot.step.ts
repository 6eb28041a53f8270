import { Inject, Injectable } from '@nestjs/common';
import type { CardContext } from '../cds/card-pipeline.js';
import type { Card } from '../cds/cds-types.js';
import { LaunchSnapshotRepository, type SnapshotResource } from '../smart/launch-snapshots.repository.js';

/**
 * Before a card can launch an app, the data the app will read must be there: the call's snapshot is
 * stored under its hookInstance (the /fhir partition an EHR launch from this call reads). Only calls
 * whose cards carry app links pay for it, and they pay one insert.
 */
@Injectable()
export class LaunchSnapshotStep {
  constructor(@Inject(LaunchSnapshotRepository) private readonly snapshots: LaunchSnapshotRepository) {}

  async run(cards: Card[], ctx: CardContext): Promise<Card[]> {
    if (!cards.some((card) => card.links?.some((link) => link.app !== undefined))) return cards;
    const resources = ctx.snapshot().filter((r): r is SnapshotResource => typeof r.id === 'string');
    await this.snapshots.put(ctx.hookInstance, resources, new Date());
    return cards;
  }
}

import { Inject, Injectable } from '@nestjs/common';
import type { CardContext } from '../cds/card-pipeline.js';
import type { Card } from '../cds/cds-types.js';
import { FhirStore } from '../fhir/server/fhir-store.js';

/**
 * Before a card can launch an app, the data the app will read must be there: the call's snapshot is
 * stored under its hookInstance (the /fhir partition an EHR launch from this call reads). Only calls
 * whose cards carry app links pay for it.
 */
@Injectable()
export class LaunchSnapshotStep {
  constructor(@Inject(FhirStore) private readonly store: FhirStore) {}

  async run(cards: Card[], ctx: CardContext): Promise<Card[]> {
    if (!cards.some((card) => card.links?.some((link) => link.app !== undefined))) return cards;
    const resources = ctx.snapshot().filter((r): r is typeof r & { id: string } => typeof r.id === 'string');
    await this.store.putAll(ctx.hookInstance, resources);
    return cards;
  }
}

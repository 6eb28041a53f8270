import { Inject, Injectable } from '@nestjs/common';
import { DATABASE, type Database } from '../store/database.js';
import type { CardLinkRow } from './card-links.repository.js';

/** One row of link_events: what a click on a card link came to (analytics raw event, ids only). */
export interface LinkEvent {
  /** The stored link the click named; null when its token was refused before any lookup. */
  link: Pick<CardLinkRow, 'id' | 'service_id' | 'hook_instance' | 'card_uuid' | 'app'> | null;
  outcome: LinkOutcome;
  at: Date;
}

/**
 * What a click came to: a launch, or why none was minted. `wrong_user`: another user than the hook's was
 * signed in; `exhausted`: the link had minted `links.maxLaunches` launches already.
 */
export type LinkOutcome = 'launched' | 'expired' | 'rejected' | 'wrong_user' | 'exhausted';

/** Raw click events of card links (link_events). */
@Injectable()
export class LinkEventsRepository {
  constructor(@Inject(DATABASE) private readonly db: Database) {}

  async insert({ link, outcome, at }: LinkEvent): Promise<void> {
    await this.db.query(
      'INSERT INTO link_events (link_id, service_id, hook_instance, card_uuid, app, outcome, at) VALUES ($1, $2, $3, $4, $5, $6, $7)',
      [link?.id ?? null, link?.service_id ?? null, link?.hook_instance ?? null, link?.card_uuid ?? null, link?.app ?? null, outcome, at],
    );
  }
}

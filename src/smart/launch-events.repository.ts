import { Inject, Injectable } from '@nestjs/common';
import { DATABASE, type Database } from '../store/database.js';

/** How far a launch from a card link got (launch_events); the click that minted it is a link event. */
export interface LaunchEvent {
  event: 'authorized' | 'token_issued';
  serviceId: string;
  cardUuid: string;
  clientId: string;
  at: Date;
}

/** Raw launch-funnel events for analytics: card, service and client ids only, no user, patient or token. */
@Injectable()
export class LaunchEventsRepository {
  constructor(@Inject(DATABASE) private readonly db: Database) {}

  async insert(e: LaunchEvent): Promise<void> {
    await this.db.query('INSERT INTO launch_events (event, service_id, card_uuid, client_id, at) VALUES ($1, $2, $3, $4, $5)', [
      e.event,
      e.serviceId,
      e.cardUuid,
      e.clientId,
      e.at,
    ]);
  }
}

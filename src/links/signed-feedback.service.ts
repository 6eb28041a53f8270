import { Injectable } from '@nestjs/common';
import { InvalidRequestError } from '../cds/cds-errors.js';
import { FeedbackService } from '../cds/feedback.service.js';
import { CardLinksService } from './card-links.service.js';

/** Feedback through a card's signed URL: the token binds service, hookInstance and card; no JWT. */
@Injectable()
export class SignedFeedbackService {
  constructor(
    private readonly links: CardLinksService,
    private readonly feedback: FeedbackService,
  ) {}

  async receive(token: string, body: unknown): Promise<Record<string, never>> {
    const bound = await this.links.verifyFeedbackToken(token);
    const items = (body as { feedback?: unknown } | null)?.feedback;
    if (Array.isArray(items)) {
      const foreign = items.findIndex((item) => (item as { card?: unknown } | null)?.card !== bound.cardUuid);
      if (foreign >= 0) throw new InvalidRequestError([{ path: `feedback[${foreign}].card`, message: 'this URL accepts feedback for its own card only' }]);
    }
    // The signature already binds the card, so the issuer check of JWT feedback does not apply.
    await this.feedback.record(bound.serviceId, items, 'signed-url', { authenticated: false, issuer: null });
    return {};
  }
}

import { createHash } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { APP_CONFIG, type AppConfig } from '../config/app-config.js';
import type { CdsClient } from '../ehr-auth/cds-client.js';
import { ContentTooLarge } from '../http/input-errors.js';
import { canonicalJson } from '../http/canonical-json.js';
import { InvalidRequestError, UnknownCardError } from './cds-errors.js';
import { FeedbackRequestDto } from './dto/feedback.dto.js';
import { validateBody } from './dto/validate-body.js';
import { FeedbackRepository, type FeedbackRow } from './feedback.repository.js';
import { type CardRow, InvocationsRepository } from './invocations.repository.js';
import { ServiceRegistry } from './service-registry.js';

/** How feedback reached us: the spec's JWT-authenticated endpoint, or a signed per-card URL (DESIGN.md flow 6). */
export type FeedbackChannel = 'jwt' | 'signed-url';

/**
 * A card belongs to the caller when this service issued it, and (when both are known) to the
 * same issuer: one EHR cannot report on another EHR's cards.
 */
function cardBelongsTo(card: CardRow, serviceId: string, client: CdsClient): boolean {
  return card.service_id === serviceId && (card.issuer === null || client.issuer === null || card.issuer === client.issuer);
}

/** §Feedback: validation and idempotent storage, for the JWT endpoint and for signed feedback URLs. */
@Injectable()
export class FeedbackService {
  constructor(
    @Inject(ServiceRegistry) private readonly registry: ServiceRegistry,
    @Inject(InvocationsRepository) private readonly invocations: InvocationsRepository,
    @Inject(FeedbackRepository) private readonly feedback: FeedbackRepository,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  /** `POST /cds-services/{id}/feedback`: body `{ feedback: [...] }`; answers `{}` (the spec defines no body). */
  async receive(serviceId: string, body: unknown, client: CdsClient): Promise<Record<string, never>> {
    if (typeof body !== 'object' || body === null || Array.isArray(body)) {
      throw new InvalidRequestError([{ path: '$', message: 'must be a JSON object' }]);
    }
    await this.record(serviceId, (body as { feedback?: unknown }).feedback, 'jwt', client);
    return {};
  }

  /**
   * Validates feedback items (cds-fb-1..3, UTC outcomeTimestamp) and stores each once, linked to the
   * card's service, hookInstance and issuer. Throws UnknownServiceError, InvalidRequestError, or
   * UnknownCardError when an item names a card this service did not issue to this client.
   * Returns how many items were new.
   */
  async record(serviceId: string, items: unknown, channel: FeedbackChannel, client: CdsClient): Promise<number> {
    this.registry.get(serviceId);
    this.checkItemsPerCard(items);
    const { feedback } = await validateBody(FeedbackRequestDto, { feedback: items });
    // A card is committed before the response that carries it, so every instance finds it here.
    const cards = new Map((await this.invocations.findCards(feedback.map((f) => f.card))).map((r) => [r.uuid, r]));
    const rows = (items as Record<string, unknown>[]).map((raw, i): FeedbackRow => {
      const item = feedback[i];
      const card = cards.get(item.card);
      if (card === undefined || !cardBelongsTo(card, serviceId, client)) throw new UnknownCardError(i);
      const foreign = (item.acceptedSuggestions ?? []).findIndex((s) => !card.suggestion_uuids.includes(s.id));
      if (foreign >= 0) throw new InvalidRequestError([{ path: `feedback[${i}].acceptedSuggestions[${foreign}].id`, message: 'is not a suggestion of this card' }]);
      return {
        dedupe_key: createHash('sha256').update(canonicalJson(raw)).digest('hex'),
        card_uuid: card.uuid,
        service_id: serviceId,
        hook_instance: card.hook_instance,
        issuer: card.issuer,
        tenant: card.tenant,
        outcome: item.outcome,
        accepted_suggestions: (raw.acceptedSuggestions as { id: string }[] | undefined) ?? [],
        override_reason: (raw.overrideReason as Record<string, unknown> | undefined) ?? null,
        outcome_timestamp: item.outcomeTimestamp,
        channel,
      };
    });
    return this.feedback.insert(rows);
  }

  /**
   * At most `limits.feedbackItemsPerCard` items name one card in one request (413 beyond): a clinician
   * acts on a card a handful of times, and one card must not be able to fill the table.
   */
  private checkItemsPerCard(items: unknown): void {
    if (!Array.isArray(items)) return;
    const max = this.config.limits.feedbackItemsPerCard;
    const perCard = new Map<unknown, number>();
    for (const item of items) {
      const card = (item as { card?: unknown } | null)?.card;
      const n = (perCard.get(card) ?? 0) + 1;
      if (n > max) throw new ContentTooLarge(`feedback has more than ${max} items for one card`, 'feedback');
      perCard.set(card, n);
    }
  }
}

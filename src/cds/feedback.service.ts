import { createHash } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { Inject, Injectable } from '@nestjs/common';
import type { CdsClient } from '../ehr-auth/cds-client.js';
import { CdsRepository, type CardRow, type FeedbackRow } from '../store/cds.repository.js';
import { canonicalJson } from './canonical-json.js';
import { InvalidRequestError, UnknownCardError } from './cds-errors.js';
import { FeedbackRequestDto } from './dto/feedback.dto.js';
import { validateBody } from './dto/validate-body.js';
import { FLUSH_INTERVAL_MS, InvocationRecorder } from './invocation-recorder.js';
import { ServiceRegistry } from './service-registry.js';

/** How many flush intervals to wait for another instance's queued card before answering 404. */
const PEER_FLUSH_WAITS = 3;

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
    @Inject(CdsRepository) private readonly repository: CdsRepository,
    @Inject(InvocationRecorder) private readonly recorder: InvocationRecorder,
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
    const { feedback } = await validateBody(FeedbackRequestDto, { feedback: items });
    const cards = await this.cardsFor(feedback.map((f) => f.card));
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
    return this.repository.insertFeedback(rows);
  }

  /**
   * Cards by uuid. A card issued moments ago may still sit in a write-behind queue: ours (flushed
   * now), or another instance's on a shared PostgreSQL (flushed within a few of its intervals).
   */
  private async cardsFor(uuids: string[]): Promise<Map<string, CardRow>> {
    const wanted = new Set(uuids).size;
    let rows = await this.repository.findCards(uuids);
    if (rows.length < wanted) {
      await this.recorder.flush();
      rows = await this.repository.findCards(uuids);
    }
    for (let wait = 0; wait < PEER_FLUSH_WAITS && rows.length < wanted; wait++) {
      await sleep(FLUSH_INTERVAL_MS);
      rows = await this.repository.findCards(uuids);
    }
    return new Map(rows.map((r) => [r.uuid, r]));
  }
}

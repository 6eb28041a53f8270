import { randomUUID } from 'node:crypto';
import { Inject, Injectable, Logger } from '@nestjs/common';
import { APP_CONFIG, type AppConfig } from '../config/app-config.js';
import type { CdsClient } from '../ehr-auth/cds-client.js';
import { fhirAccessFor } from '../ehr-auth/fhir-authorization.js';
import { PrefetchService } from '../fhir/prefetch.service.js';
import { AppError, TemporarilyUnavailable } from '../http/app-error.js';
import { emit } from '../http/telemetry.js';
import { CardPipeline, callSnapshot } from './card-pipeline.js';
import { prepareResponse, wireResponse } from './card-rules.js';
import { InvalidCardError, ServiceFailedError } from './cds-errors.js';
import type { CdsRequest, CdsResponse, EvaluationData, ServiceDefinition } from './cds-types.js';
import { type CardRow, type InvocationRow, InvocationsRepository } from './invocations.repository.js';
import { parseCdsRequest } from './parse-cds-request.js';
import { ServiceRegistry } from './service-registry.js';

/** The HTTP status an error will be answered with (e.g. 412 from prefetch resolution; 500 when unexpected). */
function statusOf(e: unknown): number {
  return e instanceof AppError ? e.status : 500;
}

/** How many cards of each indicator a response carries. */
function indicatorCounts(response: CdsResponse): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const card of response.cards) counts[card.indicator] = (counts[card.indicator] ?? 0) + 1;
  return counts;
}

/** One service call (DESIGN.md flow 1): validate → prefetch → evaluate → post-process → record → respond. */
@Injectable()
export class CdsService {
  private readonly logger = new Logger(CdsService.name);

  constructor(
    @Inject(ServiceRegistry) private readonly registry: ServiceRegistry,
    @Inject(PrefetchService) private readonly prefetch: PrefetchService,
    @Inject(InvocationsRepository) private readonly invocations: InvocationsRepository,
    @Inject(CardPipeline) private readonly pipeline: CardPipeline,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  /** §Discovery. */
  discover(): ReturnType<ServiceRegistry['discover']> {
    return this.registry.discover();
  }

  /** §Calling a CDS Service: the response for `POST /cds-services/{id}`. */
  async call(id: string, body: unknown, client: CdsClient): Promise<CdsResponse> {
    const service = this.registry.get(id);
    const request = await parseCdsRequest(body, service.hook, this.config.limits.draftOrders);
    const startedAt = new Date();
    const t0 = performance.now();
    let status = 500;
    let response: CdsResponse = { cards: [] };
    let rules = new Map<string, string>();
    let dropped = 0;
    let scopes: string[] = [];
    let outage = false;
    try {
      const now = Date.now();
      const resolved = await this.prefetch.resolve(service, request, fhirAccessFor(request, client, now), now);
      dropped = resolved.dropped;
      scopes = resolved.data.effectiveScopes;
      ({ response, rules } = await this.evaluate(service, request, resolved.data, client));
      status = 200;
      return response;
    } catch (e) {
      status = statusOf(e);
      outage = e instanceof TemporarilyUnavailable;
      throw e;
    } finally {
      const latencyMs = performance.now() - t0;
      // Counted once for both the record and the metrics.
      const indicators = indicatorCounts(response);
      // A call refused because the database is away cannot be recorded either; trying would double its wait.
      if (!outage) await this.record(service, request, client, { startedAt, latencyMs, status, response, indicators, rules, dropped, scopes });
      emit('cds.call', { serviceId: service.id, hook: service.hook, status, seconds: latencyMs / 1000, indicators, prefetchDropped: dropped });
    }
  }

  /**
   * Runs the service's pure evaluate(), then post-processes: prepareResponse (empty values, uuids,
   * every rule, once) → CardPipeline steps → wireResponse (host-only fields dropped, links
   * re-checked). A throw or a bad card is a 500 whose cause is logged (service id and rule only),
   * never sent. Also returns each card's host-only `rule` by uuid, for the record.
   */
  private async evaluate(
    service: ServiceDefinition,
    request: CdsRequest,
    data: EvaluationData,
    client: CdsClient,
  ): Promise<{ response: CdsResponse; rules: Map<string, string> }> {
    let raw: CdsResponse;
    try {
      // The service sees the filtered prefetch only, never the raw request's (smart-scopes.md C5).
      raw = service.evaluate({ ...request, prefetch: data.prefetch }, data);
    } catch (e) {
      this.logger.error(`service ${service.id}: evaluate() threw ${(e as Error)?.name ?? typeof e}`);
      throw new ServiceFailedError();
    }
    raw = this.boundCards(service, raw);
    try {
      const prepared = prepareResponse(raw, randomUUID);
      const { context } = request;
      const cards = await this.pipeline.run(prepared.cards, {
        serviceId: service.id,
        hookInstance: request.hookInstance,
        issuer: client.issuer,
        ...(client.tenant === undefined ? {} : { tenant: client.tenant }),
        userId: context.userId,
        patientId: context.patientId,
        ...(context.encounterId === undefined ? {} : { encounterId: context.encounterId }),
        scopeCeiling: data.effectiveScopes,
        snapshot: () => callSnapshot(context, data),
      });
      const rules = new Map(cards.flatMap((c) => (c.rule === undefined ? [] : [[c.uuid as string, c.rule] as const])));
      return { response: wireResponse({ ...prepared, cards }), rules };
    } catch (e) {
      if (e instanceof InvalidCardError) this.logger.error(`service ${service.id}: invalid card, rule ${e.rule} at ${e.path}`);
      throw e;
    }
  }

  /**
   * At most `limits.cards` cards per answer (services put the most severe first): the EHR shows a bounded
   * list and the call stores a bounded batch. What is left out is logged, with the service id only.
   */
  private boundCards(service: ServiceDefinition, raw: CdsResponse): CdsResponse {
    const max = this.config.limits.cards;
    if (!Array.isArray(raw?.cards) || raw.cards.length <= max) return raw;
    this.logger.warn(`service ${service.id}: answered ${raw.cards.length} cards, kept the first ${max} (limits.cards)`);
    return { ...raw, cards: raw.cards.slice(0, max) };
  }

  /**
   * Stores the invocation and its cards before the response leaves: feedback on any instance must find
   * its card, and nothing acknowledged is lost. Cards that cannot be stored fail the call (500); a failed
   * call whose record cannot be stored keeps its own error, and the lost record is logged.
   */
  private async record(
    service: ServiceDefinition,
    request: CdsRequest,
    client: CdsClient,
    outcome: {
      startedAt: Date;
      latencyMs: number;
      status: number;
      response: CdsResponse;
      indicators: Record<string, number>;
      rules: Map<string, string>;
      dropped: number;
      scopes: string[];
    },
  ): Promise<void> {
    const { cards } = outcome.response;
    const who = { issuer: client.issuer, tenant: client.tenant ?? null };
    const issuedAt = outcome.startedAt.toISOString();
    const cardRows: CardRow[] = cards.map((card) => ({
      uuid: card.uuid as string,
      service_id: service.id,
      hook_instance: request.hookInstance,
      ...who,
      indicator: card.indicator,
      summary: card.summary,
      suggestion_uuids: (card.suggestions ?? []).map((s) => s.uuid as string),
      issued_at: issuedAt,
      rule: outcome.rules.get(card.uuid as string) ?? null,
    }));
    const invocation: InvocationRow = {
      service_id: service.id,
      hook: service.hook,
      hook_instance: request.hookInstance,
      ...who,
      started_at: issuedAt,
      latency_ms: outcome.latencyMs,
      status: outcome.status,
      card_count: cards.length,
      indicators: outcome.indicators,
      effective_scopes: outcome.scopes.join(' '),
      prefetch_dropped: outcome.dropped,
    };
    try {
      await this.invocations.insert(invocation, cardRows);
    } catch (e) {
      if (outcome.status === 200) throw e;
      // An outage is logged once by the store, not once per refused call.
      if (e instanceof TemporarilyUnavailable) return;
      this.logger.error(`service ${service.id}: could not record a failed call (${outcome.status}): ${(e as Error).name}`);
    }
  }
}

import { setTimeout as sleep } from 'node:timers/promises';
import type { TestEhr } from './ehr-jwt.js';

/** A card as the response carries it: what feedback needs. */
export interface AnsweredCard {
  uuid: string;
  suggestions?: { uuid: string }[];
}

/** One feedback item (§Feedback) for `card`: its first suggestion accepted, or the card overridden. */
export function feedbackFor(card: AnsweredCard, outcomeTimestamp = new Date().toISOString().replace(/\.\d+Z$/, 'Z')): Record<string, unknown> {
  const first = card.suggestions?.[0];
  return first ? { card: card.uuid, outcome: 'accepted', acceptedSuggestions: [{ id: first.uuid }], outcomeTimestamp } : { card: card.uuid, outcome: 'overridden', outcomeTimestamp };
}

/** What the load saw of one request: an HTTP status, `refused` (no connection) or `hang` (no answer in time). */
export interface Outcome {
  at: number;
  path: string;
  status: number | 'refused' | 'hang';
  ms: number;
  body?: unknown;
}

/** Calls a Hookwarden at `base` as the EHR `ehr` does: a fresh client JWT per request, `aud` = `publicUrl` + path. */
export class EhrCaller {
  constructor(
    readonly ehr: TestEhr,
    readonly base: string,
    readonly publicUrl: string,
    /** A request unanswered this long counts as a hang. */
    readonly hangMs = 15_000,
  ) {}

  async post(path: string, body: unknown): Promise<Outcome> {
    const t0 = performance.now();
    const at = Date.now();
    const token = await this.ehr.sign(`${this.publicUrl}${path}`);
    try {
      const res = await fetch(`${this.base}${path}`, {
        method: 'POST',
        headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
        body: JSON.stringify(body),
        signal: AbortSignal.timeout(this.hangMs),
      });
      const text = await res.text();
      return { at, path, status: res.status, ms: performance.now() - t0, body: text ? JSON.parse(text) : undefined };
    } catch (e) {
      const status = (e as Error).name === 'TimeoutError' ? 'hang' : 'refused';
      return { at, path, status, ms: performance.now() - t0 };
    }
  }
}

/**
 * A bounded load of hook calls and feedback: `concurrency` loops, each calling the hook, then giving
 * feedback on a card of an earlier answered call, then pausing `pauseMs`. Keeps what was answered
 * (the cards of every 200) and what was acknowledged (every feedback item answered 200).
 */
export class FaultLoad {
  readonly outcomes: Outcome[] = [];
  readonly answeredCards: AnsweredCard[] = [];
  readonly acknowledged: Record<string, unknown>[] = [];
  private readonly awaitingFeedback: AnsweredCard[] = [];
  private running = false;
  private loops: Promise<void>[] = [];

  constructor(
    private readonly caller: EhrCaller,
    private readonly serviceId: string,
    private readonly body: () => Record<string, unknown>,
    private readonly opts: { concurrency?: number; pauseMs?: number } = {},
  ) {}

  start(): this {
    this.running = true;
    this.loops = Array.from({ length: this.opts.concurrency ?? 3 }, () => this.loop());
    return this;
  }

  async stop(): Promise<void> {
    this.running = false;
    await Promise.all(this.loops);
  }

  /** Statuses seen since `since` (epoch ms), by count. */
  statuses(since = 0): Record<string, number> {
    const counts: Record<string, number> = {};
    for (const o of this.outcomes.filter((x) => x.at >= since)) counts[String(o.status)] = (counts[String(o.status)] ?? 0) + 1;
    return counts;
  }

  private async loop(): Promise<void> {
    while (this.running) {
      const call = await this.caller.post(`/cds-services/${this.serviceId}`, this.body());
      this.outcomes.push(call);
      if (call.status === 200) {
        const cards = (call.body as { cards: AnsweredCard[] }).cards;
        this.answeredCards.push(...cards);
        this.awaitingFeedback.push(...cards);
      }
      const card = this.awaitingFeedback.shift();
      if (card) {
        const item = feedbackFor(card);
        const fb = await this.caller.post(`/cds-services/${this.serviceId}/feedback`, { feedback: [item] });
        this.outcomes.push(fb);
        if (fb.status === 200) this.acknowledged.push(item);
        else this.awaitingFeedback.push(card);
      }
      await sleep(this.opts.pauseMs ?? 20);
    }
  }
}

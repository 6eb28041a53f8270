import { Injectable } from '@nestjs/common';
import { bundleResources } from '../fhir/prefetch-admission.js';
import type { Card, EvaluationData, FhirResource, HookContext } from './cds-types.js';

/** What a hook call knows that card post-processing may bind cards to (DESIGN.md flow 2). No tokens. */
export interface CardContext {
  serviceId: string;
  hookInstance: string;
  issuer: string | null;
  tenant?: string;
  userId: string;
  patientId: string;
  encounterId?: string;
  /** Effective scopes of the call: the most a launched app may ever be granted. */
  scopeCeiling: string[];
  /** The resources this call saw (scope-filtered prefetch plus the draft orders), for an app launched from a card. */
  snapshot(): FhirResource[];
}

function resourcesOf(value: FhirResource | null | undefined): FhirResource[] {
  if (!value) return [];
  if (value.resourceType !== 'Bundle') return value.resourceType === 'OperationOutcome' ? [] : [value];
  // The draft orders are the hook call's own Bundles: read without trusting their shape (issue 10.8).
  return bundleResources(value).flatMap(resourcesOf);
}

/**
 * What a launched app may see of this call: every resource of the filtered prefetch and the hook's
 * draft orders (order-select/order-sign `draftOrders`, medication-prescribe `medications`), each once.
 */
export function callSnapshot(context: HookContext, data: EvaluationData): FhirResource[] {
  const all = [...Object.values(data.prefetch), context.draftOrders, context.medications].flatMap((v) => resourcesOf(v));
  const byKey = new Map(all.filter((r) => r.id).map((r) => [`${r.resourceType}/${r.id}`, r]));
  return [...byKey.values()];
}

/**
 * One post-processing step. It receives cards that passed every card rule, each with a uuid, and
 * `Link.app` still present. It may rewrite links and add extensions, nothing else: the links it
 * returns are checked again before they are sent, the rest of the card is not.
 */
export type CardStep = (cards: Card[], ctx: CardContext) => Promise<Card[]>;

/**
 * Post-processing steps other modules plug in without cds/ importing them (e.g. links/ turning
 * `Link.app` into signed click-through links): call `use()` from an `onModuleInit`.
 */
@Injectable()
export class CardPipeline {
  private readonly steps: CardStep[] = [];

  /** Adds a step; steps run in the order they were added. */
  use(step: CardStep): void {
    this.steps.push(step);
  }

  /** Runs every step over the cards. */
  async run(cards: Card[], ctx: CardContext): Promise<Card[]> {
    let out = cards;
    for (const step of this.steps) out = await step(out, ctx);
    return out;
  }
}

import { InvalidCardError } from './cds-errors.js';
import type { Action, Card, CdsResponse, Coding, Link, Suggestion } from './cds-types.js';

/**
 * Card post-processing (§CDS Service Response, §Card Attributes). Pure: the id source is passed in.
 * Order: strip empty values (§Use of JSON), assign uuids, check every rule; after the pipeline steps,
 * drop host-only fields and check what the steps may change.
 * A broken rule is the service's bug: InvalidCardError names the rule and the JSON path, never values.
 */

/** One broken rule: the rule id (spec invariant where there is one) and where. */
export interface Violation {
  rule: string;
  path: string;
}

const INDICATORS = new Set(['info', 'warning', 'critical']);
const SELECTION_BEHAVIORS = new Set(['at-most-one', 'any']);
const ACTION_TYPES = new Set(['create', 'update', 'delete']);
const LINK_TYPES = new Set(['absolute', 'smart']);
const RULE_ID = /^[A-Za-z0-9][A-Za-z0-9._:-]{0,127}$/;
const RELATIVE_REFERENCE = /^[A-Z][A-Za-z]+\/[A-Za-z0-9\-.]{1,64}$/;

const isNonEmptyString = (v: unknown): v is string => typeof v === 'string' && v.length > 0;

/** Absolute http(s) URL. */
function isAbsoluteHttpUrl(v: unknown): boolean {
  if (typeof v !== 'string') return false;
  try {
    const u = new URL(v);
    return u.protocol === 'https:' || u.protocol === 'http:';
  } catch {
    return false;
  }
}

/**
 * §Use of JSON: null, "", [] and {} SHALL NOT be sent; optional attributes without a value are omitted.
 * Returns a copy without them (recursively); `undefined` when nothing is left.
 */
export function stripEmpty(value: unknown): unknown {
  if (value === null || value === undefined || value === '') return undefined;
  if (Array.isArray(value)) {
    const items = value.map(stripEmpty).filter((v) => v !== undefined);
    return items.length > 0 ? items : undefined;
  }
  if (typeof value === 'object') {
    const entries = Object.entries(value).flatMap(([k, v]) => {
      const s = stripEmpty(v);
      return s === undefined ? [] : [[k, s] as const];
    });
    return entries.length > 0 ? Object.fromEntries(entries) : undefined;
  }
  return value;
}

/** §Coding: code and system required; display required where `needDisplay` (cds-resp-4 for overrideReasons). */
function codingViolations(c: Coding | undefined, path: string, rule: string, needDisplay: boolean): Violation[] {
  const ok = c !== undefined && isNonEmptyString(c.code) && isNonEmptyString(c.system) && (!needDisplay || isNonEmptyString(c.display));
  return ok ? [] : [{ rule, path }];
}

/** §Action: type enum, description; create/update carry the resource; delete uses resourceId only (cds-resp-2). */
export function actionViolations(a: Action, path: string): Violation[] {
  const v: Violation[] = [];
  if (!ACTION_TYPES.has(a.type)) v.push({ rule: 'action-type', path: `${path}.type` });
  if (!isNonEmptyString(a.description)) v.push({ rule: 'action-description', path: `${path}.description` });
  const hasResource = typeof a.resource === 'object' && isNonEmptyString(a.resource.resourceType);
  if ((a.type === 'create' || a.type === 'update') && !hasResource) v.push({ rule: 'action-resource', path: `${path}.resource` });
  if (a.type === 'delete' && (a.resource !== undefined || typeof a.resourceId !== 'string' || !RELATIVE_REFERENCE.test(a.resourceId))) {
    v.push({ rule: 'cds-resp-2', path: `${path}.resourceId` });
  }
  return v;
}

/** §Suggestion: label required, isRecommended boolean, actions valid. */
function suggestionViolations(s: Suggestion, path: string): Violation[] {
  const v: Violation[] = [];
  if (!isNonEmptyString(s.label)) v.push({ rule: 'suggestion-label', path: `${path}.label` });
  if (s.isRecommended !== undefined && typeof s.isRecommended !== 'boolean') v.push({ rule: 'suggestion-recommended', path: `${path}.isRecommended` });
  (s.actions ?? []).forEach((a, i) => v.push(...actionViolations(a, `${path}.actions[${i}]`)));
  return v;
}

/**
 * §Link: label, absolute http(s) url, type enum; appContext only on smart links (cds-resp-3). A host-only
 * `app` link may carry one: it goes into the launch the click mints, never onto the wire.
 */
export function linkViolations(l: Link, path: string): Violation[] {
  const v: Violation[] = [];
  if (!isNonEmptyString(l.label)) v.push({ rule: 'link-label', path: `${path}.label` });
  if (!isAbsoluteHttpUrl(l.url)) v.push({ rule: 'link-url', path: `${path}.url` });
  if (!LINK_TYPES.has(l.type)) v.push({ rule: 'link-type', path: `${path}.type` });
  if (l.appContext !== undefined && l.type !== 'smart' && l.app === undefined) v.push({ rule: 'cds-resp-3', path: `${path}.appContext` });
  if (l.autolaunchable !== undefined && typeof l.autolaunchable !== 'boolean') v.push({ rule: 'link-autolaunchable', path: `${path}.autolaunchable` });
  return v;
}

/** §Card Attributes: every rule that concerns one card. */
export function cardViolations(c: Card, path: string): Violation[] {
  const v: Violation[] = [];
  // "one-sentence summary ... <140 characters" (Inferno fails length >= 140).
  if (!isNonEmptyString(c.summary) || c.summary.length >= 140) v.push({ rule: 'summary', path: `${path}.summary` });
  if (c.detail !== undefined && typeof c.detail !== 'string') v.push({ rule: 'detail', path: `${path}.detail` });
  if (!INDICATORS.has(c.indicator)) v.push({ rule: 'indicator', path: `${path}.indicator` });
  if (typeof c.source !== 'object' || !isNonEmptyString(c.source.label)) v.push({ rule: 'source-label', path: `${path}.source.label` });
  if (c.source?.url !== undefined && !isAbsoluteHttpUrl(c.source.url)) v.push({ rule: 'source-url', path: `${path}.source.url` });
  if (c.source?.icon !== undefined && !isAbsoluteHttpUrl(c.source.icon)) v.push({ rule: 'source-url', path: `${path}.source.icon` });
  if (c.source?.topic !== undefined) v.push(...codingViolations(c.source.topic, `${path}.source.topic`, 'coding', false));
  // Host-only: analytics groups cards by it, so it is a short token, never free text.
  if (c.rule !== undefined && !(typeof c.rule === 'string' && RULE_ID.test(c.rule))) v.push({ rule: 'rule-id', path: `${path}.rule` });
  // cds-resp-6: selectionBehavior MUST be present when suggestions are, and means nothing without them.
  const hasSuggestions = c.suggestions !== undefined;
  if (hasSuggestions !== (c.selectionBehavior !== undefined) || (hasSuggestions && !SELECTION_BEHAVIORS.has(c.selectionBehavior ?? ''))) {
    v.push({ rule: 'cds-resp-6', path: `${path}.selectionBehavior` });
  }
  if (c.selectionBehavior === 'at-most-one' && (c.suggestions ?? []).filter((s) => s.isRecommended === true).length > 1) {
    v.push({ rule: 'cds-resp-1', path: `${path}.suggestions` });
  }
  (c.suggestions ?? []).forEach((s, i) => v.push(...suggestionViolations(s, `${path}.suggestions[${i}]`)));
  (c.overrideReasons ?? []).forEach((r, i) => v.push(...codingViolations(r, `${path}.overrideReasons[${i}]`, 'cds-resp-4', true)));
  (c.links ?? []).forEach((l, i) => v.push(...linkViolations(l, `${path}.links[${i}]`)));
  return v;
}

/** Card and suggestion uuids must be unique in a response, or feedback could not tell them apart (§Feedback). */
export function uuidViolations(cards: Card[]): Violation[] {
  const seen = new Set<string>();
  const v: Violation[] = [];
  const check = (uuid: string | undefined, path: string): void => {
    if (uuid === undefined) return;
    if (seen.has(uuid)) v.push({ rule: 'unique-uuid', path });
    seen.add(uuid);
  };
  cards.forEach((c, i) => {
    check(c.uuid, `cards[${i}].uuid`);
    (c.suggestions ?? []).forEach((s, j) => check(s.uuid, `cards[${i}].suggestions[${j}].uuid`));
  });
  return v;
}

/** Gives every card and suggestion a uuid (§Card `uuid` / §Suggestion `uuid`: needed for feedback). */
function withUuids(card: Card, newId: () => string): Card {
  return {
    ...card,
    uuid: card.uuid ?? newId(),
    ...(card.suggestions === undefined ? {} : { suggestions: card.suggestions.map((s) => ({ ...s, uuid: s.uuid ?? newId() })) }),
  };
}

function throwFirst(violations: Violation[]): void {
  if (violations.length > 0) throw new InvalidCardError(violations[0].rule, violations[0].path);
}

/**
 * Step 1 of post-processing, on what evaluate() returned: strip empty values, give every card and
 * suggestion a uuid, check every rule, then throw InvalidCardError for the first broken one.
 * Host-only `Link.app` is kept for the CardPipeline steps.
 */
export function prepareResponse(response: CdsResponse, newId: () => string): CdsResponse {
  if (typeof response !== 'object' || response === null || !Array.isArray(response.cards)) throw new InvalidCardError('response-shape', 'cards');
  const cards = response.cards.map((c) => withUuids((stripEmpty(c) ?? {}) as Card, newId));
  const systemActions = stripEmpty(response.systemActions) as Action[] | undefined;
  throwFirst([
    ...cards.flatMap((c, i) => cardViolations(c, `cards[${i}]`)),
    ...uuidViolations(cards),
    ...(systemActions ?? []).flatMap((a, i) => actionViolations(a, `systemActions[${i}]`)),
  ]);
  // `cards: []` stays: the spec's own exception to "no empty arrays".
  return systemActions === undefined ? { cards } : { cards, systemActions };
}

/** A link as it goes on the wire: without the host-only `app` (resolved by the host). */
function wireLink({ app: _app, ...link }: Link): Link {
  return link;
}

/**
 * Last step, after the CardPipeline. The steps may only rewrite links and add extensions, so only
 * those are re-checked, instead of stripping and checking every card a second time: host-only
 * `Card.rule` and `Link.app` are dropped, links left empty are removed (§Use of JSON), and each
 * link's rules run again.
 */
export function wireResponse(response: CdsResponse): CdsResponse {
  const cards = response.cards.map(({ rule: _rule, ...card }): Card => {
    if (card.links === undefined) return card;
    const { links, ...rest } = card;
    return links.length > 0 ? { ...rest, links: links.map(wireLink) } : rest;
  });
  throwFirst(cards.flatMap((c, i) => (c.links ?? []).flatMap((l, j) => linkViolations(l, `cards[${i}].links[${j}]`))));
  return { ...response, cards };
}

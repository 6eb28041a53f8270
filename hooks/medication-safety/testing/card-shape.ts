import type { Action, Card, Link, Suggestion } from '../../../src/cds/cds-types.js';

/**
 * Test helper: the CDS Hooks 2.0 card rules (§Card Attributes; test cases S3–S8 of
 * reference/cds-hooks.md §5), checked independently of the host's post-processing. Returns one
 * message per broken rule; [] means the card is valid on the wire.
 */
export function cardShapeProblems(card: Card, where = 'card'): string[] {
  const problems: string[] = [];
  const need = (ok: boolean, message: string) => {
    if (!ok) problems.push(`${where}: ${message}`);
  };
  // S3: summary < 140 characters, indicator enum, source.label.
  need(typeof card.summary === 'string' && card.summary.length > 0 && card.summary.length < 140, 'S3 summary must be 1–139 characters');
  need(['info', 'warning', 'critical'].includes(card.indicator), 'S3 indicator');
  need(typeof card.source?.label === 'string' && card.source.label.length > 0, 'S3 source.label');
  if (card.source?.url !== undefined) need(isAbsoluteUrl(card.source.url), 'source.url must be absolute');
  if (card.source?.topic !== undefined) need(Boolean(card.source.topic.system && card.source.topic.code), 'source.topic is a Coding');
  // S4: optional fields typed.
  if (card.detail !== undefined) need(typeof card.detail === 'string' && card.detail.length > 0, 'S4 detail');
  // S5: suggestions ⇒ selectionBehavior; cds-resp-1: at most one recommended for at-most-one.
  if (card.suggestions !== undefined) {
    need(card.suggestions.length > 0, 'S5 suggestions must not be empty');
    need(card.selectionBehavior === 'at-most-one' || card.selectionBehavior === 'any', 'S5 selectionBehavior (cds-resp-6)');
    if (card.selectionBehavior === 'at-most-one') need(card.suggestions.filter((s) => s.isRecommended === true).length <= 1, 'cds-resp-1');
    card.suggestions.forEach((s, i) => problems.push(...suggestionProblems(s, `${where}.suggestions[${i}]`)));
  }
  // S7: overrideReasons are Codings with display (cds-resp-4).
  (card.overrideReasons ?? []).forEach((c, i) => need(Boolean(c.system && c.code && c.display), `S7 overrideReasons[${i}] (cds-resp-4)`));
  // S8: links.
  (card.links ?? []).forEach((l, i) => problems.push(...linkProblems(l, `${where}.links[${i}]`)));
  return problems;
}

function suggestionProblems(s: Suggestion, where: string): string[] {
  const problems = typeof s.label === 'string' && s.label.length > 0 ? [] : [`${where}: S5 label`];
  if (s.actions !== undefined && s.actions.length === 0) problems.push(`${where}: S5 actions must not be empty`);
  (s.actions ?? []).forEach((a, i) => problems.push(...actionProblems(a, `${where}.actions[${i}]`)));
  return problems;
}

// §Action: delete uses a relative reference in resourceId and no resource (cds-resp-2).
function actionProblems(a: Action, where: string): string[] {
  const problems: string[] = [];
  if (!['create', 'update', 'delete'].includes(a.type)) problems.push(`${where}: S6 type`);
  if (typeof a.description !== 'string' || a.description.length === 0) problems.push(`${where}: S6 description`);
  if ((a.type === 'create' || a.type === 'update') && typeof a.resource?.resourceType !== 'string') problems.push(`${where}: S6 resource`);
  if (a.type === 'update' && typeof a.resource?.id !== 'string') problems.push(`${where}: S6 update needs the whole resource with its id`);
  if (a.type === 'delete' && (a.resource !== undefined || !/^[A-Z][A-Za-z]+\/[A-Za-z0-9\-.]{1,64}$/.test(a.resourceId ?? ''))) {
    problems.push(`${where}: cds-resp-2 delete by relative resourceId only`);
  }
  return problems;
}

function linkProblems(l: Link, where: string): string[] {
  const problems: string[] = [];
  if (typeof l.label !== 'string' || l.label.length === 0) problems.push(`${where}: S8 label`);
  if (l.type !== 'absolute' && l.type !== 'smart') problems.push(`${where}: S8 type`);
  if (!isAbsoluteUrl(l.url)) problems.push(`${where}: S8 url must be an absolute URL`);
  // A host-only `app` link's appContext goes into the launch the host mints, not onto the wire.
  if (l.appContext !== undefined && l.type !== 'smart' && l.app === undefined) problems.push(`${where}: cds-resp-3 appContext only on smart links`);
  return problems;
}

function isAbsoluteUrl(value: unknown): boolean {
  if (typeof value !== 'string') return false;
  try {
    return ['http:', 'https:'].includes(new URL(value).protocol);
  } catch {
    return false;
  }
}

const LIST_ITEM = /^([-*+]|\d+[.)]) /;

/**
 * Test helper (issue 10.7): GFM renders a single newline inside a paragraph as a space (CommonMark soft
 * line break), so lines meant apart must be separate blocks or list items. One message per soft break.
 */
export function markdownProblems(detail: string): string[] {
  return detail.split(/\n{2,}/).flatMap((block) => {
    const lines = block.split('\n');
    return lines.slice(0, -1).flatMap((line, i) => (LIST_ITEM.test(line) && LIST_ITEM.test(lines[i + 1]!) ? [] : [`soft line break after ${JSON.stringify(line)}`]));
  });
}

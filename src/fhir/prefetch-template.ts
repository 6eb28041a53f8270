import { isFhirId, isResourceType, SEARCH_PARAM_KINDS } from '../scopes/index.js';
import { PrefetchTemplateError } from './prefetch-errors.js';

// CDS Hooks 2.0 §Prefetch tokens: root-level primitive context fields marked "Prefetch Token" (cds-hooks.md §1.4).
const CONTEXT_TOKENS = ['context.userId', 'context.patientId', 'context.encounterId'] as const;
// §Prefetch tokens: user tokens, derived from `context.userId` (`Practitioner/123` → userPractitionerId = 123).
const USER_TOKENS: Readonly<Record<string, string>> = {
  userPractitionerId: 'Practitioner',
  userPractitionerRoleId: 'PractitionerRole',
  userPatientId: 'Patient',
  userRelatedPersonId: 'RelatedPerson',
};

/** A token a template may contain, without the braces. */
export type PrefetchToken = (typeof CONTEXT_TOKENS)[number] | keyof typeof USER_TOKENS;

/** A validated prefetch template. */
export interface PrefetchTemplate {
  readonly template: string;
  /** Tokens used, in order of first appearance. */
  readonly tokens: readonly PrefetchToken[];
}

/** A template with its tokens substituted: a relative FHIR URL and what it asks for. */
export interface RenderedPrefetch {
  /** Relative URL, e.g. `Observation?patient=123&code=4548-4`. */
  readonly url: string;
  readonly resourceType: string;
  /** Instance read or type-level search (§Prefetch query restrictions). */
  readonly interaction: 'read' | 'search';
}

const TOKEN = /\{\{([^{}]*)\}\}/g;
const DATE = /^\d{4}(?:-\d{2}(?:-\d{2}(?:T\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:\d{2})?)?)?)?$/;
const DATE_PREFIXES = /^(?:eq|lt|gt|ge|le)?/;
const SORT = /^-?[a-z_][a-z0-9_-]*(?:,-?[a-z_][a-z0-9_-]*)*$/;
const REFERENCE_VALUE = /^(?:[A-Z][A-Za-z]+\/)?[A-Za-z0-9\-.]{1,64}$/;

function isToken(name: string): name is PrefetchToken {
  return (CONTEXT_TOKENS as readonly string[]).includes(name) || name in USER_TOKENS;
}

/** Placeholder values used to check the URL shape before the real values are known. */
function placeholder(token: PrefetchToken): string {
  return token === 'context.userId' ? 'Practitioner/1' : '1';
}

/**
 * Checks one parameter against §Prefetch query restrictions: reference params, token params (equality,
 * optionally `:in`), date params with `eq lt gt ge le` prefixes, `_count` and `_sort`. Returns a reason or undefined.
 */
function paramProblem(resourceType: string, pair: string): string | undefined {
  const eq = pair.indexOf('=');
  if (eq <= 0) return `"${pair}" is not name=value`;
  const [name, modifier, ...rest] = pair.slice(0, eq).split(':');
  const value = pair.slice(eq + 1);
  if (value === '' || rest.length) return `"${pair}" is not name=value`;
  if (name === '_count') return modifier === undefined && /^\d+$/.test(value) ? undefined : '_count takes a non-negative integer';
  if (name === '_sort') return modifier === undefined && SORT.test(value) ? undefined : '_sort takes a comma list of parameter names';
  const kind = SEARCH_PARAM_KINDS[resourceType]?.[name];
  switch (kind) {
    case 'reference':
      if (modifier !== undefined) return `reference parameter ${name} takes no modifier`;
      return value.split(',').every((v) => REFERENCE_VALUE.test(v)) ? undefined : `reference parameter ${name} needs [Type/]id values`;
    case 'token':
      return modifier === undefined || modifier === 'in' ? undefined : `token parameter ${name} allows only :in`;
    case 'date': {
      if (modifier !== undefined) return `date parameter ${name} takes no modifier`;
      return DATE.test(value.replace(DATE_PREFIXES, '')) ? undefined : `date parameter ${name} allows only eq/lt/gt/ge/le and a date`;
    }
    default:
      return `${resourceType} has no reference, token or date search parameter "${name}"`;
  }
}

function shape(template: string, url: string): { resourceType: string; interaction: 'read' | 'search' } {
  const fail = (reason: string): never => {
    throw new PrefetchTemplateError(template, reason);
  };
  const q = url.indexOf('?');
  const path = q < 0 ? url : url.slice(0, q);
  const segments = path.split('/');
  const resourceType = segments[0];
  if (!isResourceType(resourceType)) fail(`"${resourceType}" is not a relative URL starting with an R4 resource type`);
  if (segments.length === 2) {
    if (q >= 0) fail('an instance read takes no query parameters');
    if (!isFhirId(segments[1])) fail(`"${segments[1]}" is not a FHIR id`);
    return { resourceType, interaction: 'read' };
  }
  if (segments.length !== 1) fail('only an instance read (Type/id) or a type search (Type?query) is allowed');
  if (q >= 0) {
    for (const pair of url.slice(q + 1).split('&')) {
      const problem = paramProblem(resourceType, pair);
      if (problem) fail(problem);
    }
  }
  return { resourceType, interaction: 'search' };
}

/**
 * Validates a prefetch template against CDS Hooks 2.0 §Prefetch tokens (only `{{context.userId}}`,
 * `{{context.patientId}}`, `{{context.encounterId}}` and the four user tokens) and §Prefetch query
 * restrictions (instance read; type search with reference, token [`:in`], date [`eq lt gt ge le`],
 * `_count`, `_sort`). Throws PrefetchTemplateError saying what is wrong.
 */
export function parsePrefetchTemplate(template: string): PrefetchTemplate {
  const tokens: PrefetchToken[] = [];
  const withoutTokens = template.replace(TOKEN, (_m, raw: string) => {
    const name = raw.trim();
    if (!isToken(name)) throw new PrefetchTemplateError(template, `unsupported token {{${raw}}} (CDS Hooks 2.0 allows root-level context fields and user tokens)`);
    if (!tokens.includes(name)) tokens.push(name);
    return placeholder(name);
  });
  if (withoutTokens.includes('{{') || withoutTokens.includes('}}')) throw new PrefetchTemplateError(template, 'unbalanced {{ }}');
  if (/\s|#/.test(withoutTokens)) throw new PrefetchTemplateError(template, 'contains whitespace or a fragment');
  shape(template, withoutTokens);
  return { template, tokens };
}

/** The hook context fields tokens are taken from. */
export interface PrefetchContext {
  readonly userId?: unknown;
  readonly patientId?: unknown;
  readonly encounterId?: unknown;
}

/** Token values a context provides; a token is absent when its value is missing or not an id/reference. */
export function prefetchTokenValues(context: PrefetchContext): Partial<Record<PrefetchToken, string>> {
  const values: Partial<Record<PrefetchToken, string>> = {};
  if (isFhirId(context.patientId)) values['context.patientId'] = context.patientId;
  if (isFhirId(context.encounterId)) values['context.encounterId'] = context.encounterId;
  const user = typeof context.userId === 'string' ? /^([A-Za-z]+)\/([^/]+)$/.exec(context.userId) : null;
  if (user && isFhirId(user[2]) && Object.values(USER_TOKENS).includes(user[1])) {
    values['context.userId'] = context.userId as string;
    const userToken = Object.keys(USER_TOKENS).find((k) => USER_TOKENS[k] === user[1]) as PrefetchToken;
    values[userToken] = user[2];
  }
  return values;
}

/**
 * Substitutes the tokens. Undefined when any token has no value (e.g. `{{userPatientId}}` for a
 * Practitioner user): such a template is not executed at all, unlike the sandbox, which runs it with the
 * token left in. Values are ids/references checked by prefetchTokenValues(), so they cannot inject params.
 */
export function renderPrefetchTemplate(parsed: PrefetchTemplate, values: Partial<Record<PrefetchToken, string>>): RenderedPrefetch | undefined {
  if (parsed.tokens.some((t) => values[t] === undefined)) return undefined;
  const url = parsed.template.replace(TOKEN, (_m, raw: string) => values[raw.trim() as PrefetchToken] as string);
  return { url, ...shape(parsed.template, url) };
}

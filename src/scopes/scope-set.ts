import { parse } from './parse.js';
import { canonicalQuery, paramKey } from './query.js';
import { PERMISSION_ORDER, type Permission, type ResourceScope, type ScopeContext, type ScopeInput, type ScopeParam } from './types.js';

/** Resource scopes of any accepted input; strings are parsed and non-resource/rejected scopes ignored. */
export function toResourceScopes(input: ScopeInput): ResourceScope[] {
  if (typeof input === 'string') return parse(input).resourceScopes;
  if (input.length === 0) return [];
  if (input.every((s): s is string => typeof s === 'string')) return parse(input).resourceScopes;
  return input as ResourceScope[];
}

/** The v2 string of one scope, e.g. `patient/Observation.rs?category=http://…|laboratory`. */
export function format(scope: ResourceScope): string {
  const query = scope.query.length ? `?${scope.query.map(paramKey).join('&')}` : '';
  return `${scope.context}/${scope.resourceType}.${scope.permissions.join('')}${query}`;
}

/** normalize() rendered as a sorted list of v2 strings. */
export function formatScopes(input: ScopeInput): string[] {
  return normalize(input).map(format);
}

/**
 * Shortest equivalent form (SMART 2.2 "scope equivalence"): a per-letter scope is removed when another of the
 * same context with the same letter covers its type (`*` or equal) with a subset of its constraints; the rest
 * are merged per context+type+query (`r` + `s` ⇒ `rs`, I1/I3). Output is sorted, so equal sets compare equal.
 */
export function normalize(input: ScopeInput): ResourceScope[] {
  const atoms = new Map<string, Atom>();
  for (const scope of toResourceScopes(input)) {
    const query = canonicalQuery(scope.query);
    for (const permission of scope.permissions) {
      const atom: Atom = { context: scope.context, resourceType: scope.resourceType, permission, query, queryKey: query.map(paramKey).join('&') };
      atoms.set(`${atom.context}/${atom.resourceType}.${permission}?${atom.queryKey}`, atom);
    }
  }
  const kept = [...atoms.values()].filter((a) => ![...atoms.values()].some((b) => b !== a && subsumes(b, a)));
  const merged = new Map<string, { scope: ResourceScope; letters: Set<Permission> }>();
  for (const atom of kept) {
    const key = `${atom.context}/${atom.resourceType}?${atom.queryKey}`;
    const entry = merged.get(key) ?? { scope: { ...atom, permissions: [] }, letters: new Set<Permission>() };
    entry.letters.add(atom.permission);
    merged.set(key, entry);
  }
  return [...merged.values()]
    .map(({ scope, letters }) => ({
      context: scope.context,
      resourceType: scope.resourceType,
      permissions: PERMISSION_ORDER.filter((p) => letters.has(p)),
      query: scope.query,
    }))
    .sort((a, b) => (format(a) < format(b) ? -1 : format(a) > format(b) ? 1 : 0));
}

/** Options of intersect(). */
export interface IntersectOptions {
  /** Known patient id; without it patient ∩ user yields nothing (smart-scopes.md §5.2). */
  readonly patientId?: string;
}

/**
 * Effective scopes = needed ∩ delegated, pairwise (smart-scopes.md §5.2), then normalize()d. Context: equal →
 * kept; patient ∩ user → patient only when a patient id is known; anything with system → dropped (system
 * scopes are client policy, never user delegation; I12). Type: equal, or `*` ∩ T = T. Letters: set
 * intersection, empty → dropped. Query: conjunction of both (I9: only resources carrying both match).
 */
export function intersect(needed: ScopeInput, delegated: ScopeInput, options: IntersectOptions = {}): ResourceScope[] {
  const result: ResourceScope[] = [];
  for (const a of toResourceScopes(needed)) {
    for (const b of toResourceScopes(delegated)) {
      const pair = intersectPair(a, b, options.patientId);
      if (pair) result.push(pair);
    }
  }
  return normalize(result);
}

/**
 * True when some scope grants `permission` on `resourceType` (exact or `*`), ignoring granular constraints
 * and context: the up-front check before issuing a read/search (§5.5, E26) — results are still evaluated.
 */
export function covers(scopes: ScopeInput, resourceType: string, permission: Permission): boolean {
  return toResourceScopes(scopes).some((s) => s.permissions.includes(permission) && (s.resourceType === '*' || s.resourceType === resourceType));
}

interface Atom {
  context: ScopeContext;
  resourceType: string;
  permission: Permission;
  query: ScopeParam[];
  queryKey: string;
}

/** b allows nothing a does not: same context and letter, wider-or-equal type, fewer-or-equal constraints. */
function subsumes(a: Atom, b: Atom): boolean {
  if (a.context !== b.context || a.permission !== b.permission) return false;
  if (a.resourceType !== '*' && a.resourceType !== b.resourceType) return false;
  const bKeys = new Set(b.query.map(paramKey));
  return a.query.every((p) => bKeys.has(paramKey(p)));
}

function intersectContext(a: ScopeContext, b: ScopeContext, patientId: string | undefined): ScopeContext | undefined {
  if (a === 'system' || b === 'system') return undefined;
  if (a === b) return a;
  return patientId ? 'patient' : undefined;
}

function intersectPair(a: ResourceScope, b: ResourceScope, patientId: string | undefined): ResourceScope | undefined {
  const context = intersectContext(a.context, b.context, patientId);
  if (!context) return undefined;
  if (a.resourceType !== '*' && b.resourceType !== '*' && a.resourceType !== b.resourceType) return undefined;
  const resourceType = a.resourceType === '*' ? b.resourceType : a.resourceType;
  const permissions = a.permissions.filter((p) => b.permissions.includes(p));
  if (permissions.length === 0) return undefined;
  return { context, resourceType, permissions, query: canonicalQuery([...a.query, ...b.query]) };
}

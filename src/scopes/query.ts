import type { ScopeParam } from './types.js';

/** `name=value`, the canonical text of one constraint. */
export function paramKey(p: ScopeParam): string {
  return `${p.name}=${p.value}`;
}

/** Sorts constraints by name then value and removes duplicates, so equal queries compare equal. */
export function canonicalQuery(query: readonly ScopeParam[]): ScopeParam[] {
  const byKey = new Map(query.map((p) => [paramKey(p), p]));
  return [...byKey.keys()].sort().map((k) => byKey.get(k) as ScopeParam);
}

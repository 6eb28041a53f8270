import { evaluate, isResource } from './evaluate.js';
import { localReference } from './reference.js';
import { toResourceScopes } from './scope-set.js';
import type { EvaluationContext, FhirResource, Interaction, ScopeInput } from './types.js';

/** The Bundle shape filterBundle() needs (structurally compatible with the CDS Bundle type). */
export interface ScopeBundle extends FhirResource {
  entry?: readonly BundleEntryLike[];
}

/** One Bundle entry as filterBundle() sees it. */
export interface BundleEntryLike {
  fullUrl?: string;
  resource?: FhirResource;
  [key: string]: unknown;
}

/** A filtered Bundle and how many entries were removed. */
export interface FilterResult<B> {
  readonly bundle: B;
  readonly dropped: number;
}

/**
 * Keeps only the entries whose resource passes evaluate(); never adds or changes an entry and keeps the
 * Bundle's own fields. Entries without a resource are dropped (E35). In a search Bundle, `search.mode =
 * include` entries need `r` or `s` on their own type (§5.4, E11, E20–E23); match entries need `interaction`.
 * Provenance targets are looked up among the Bundle's entries (E14).
 */
export function filterBundle<B extends ScopeBundle>(bundle: B, interaction: Interaction, scopes: ScopeInput, ctx: EvaluationContext = {}): FilterResult<B> {
  const entries = bundle.entry ?? [];
  const list = toResourceScopes(scopes);
  // Built on first use: only a Provenance needs to look up its targets.
  let index: Map<string, FhirResource> | undefined;
  const resolveInBundle = (ref: string): FhirResource | undefined => {
    index ??= indexEntries(entries, ctx.fhirBase);
    return index.get(ref);
  };
  const withResolve: EvaluationContext = { ...ctx, resolve: ctx.resolve ?? resolveInBundle };
  const kept = entries.filter((entry) => {
    const mode = (entry.search as { mode?: unknown } | undefined)?.mode;
    if (interaction === 'search' && mode === 'include') {
      return evaluate(entry.resource, 'read', list, withResolve) || evaluate(entry.resource, 'search', list, withResolve);
    }
    return evaluate(entry.resource, interaction, list, withResolve);
  });
  if (bundle.entry === undefined) return { bundle: { ...bundle }, dropped: 0 };
  return { bundle: { ...bundle, entry: kept }, dropped: entries.length - kept.length };
}

function indexEntries(entries: readonly BundleEntryLike[], fhirBase: string | undefined): Map<string, FhirResource> {
  const index = new Map<string, FhirResource>();
  for (const entry of entries) {
    if (!isResource(entry.resource)) continue;
    if (entry.fullUrl) index.set(localReference(entry.fullUrl, fhirBase) ?? entry.fullUrl, entry.resource);
    if (entry.resource.id) index.set(`${entry.resource.resourceType}/${entry.resource.id}`, entry.resource);
  }
  return index;
}

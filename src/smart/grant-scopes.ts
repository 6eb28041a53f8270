import { formatScopes, intersect, parse, type ResourceScope } from '../scopes/index.js';

/** What the scope grant is computed from (DESIGN.md flow 3). */
export interface ScopeGrantInput {
  /** The `scope` of the authorization or token request. */
  requested: string;
  /** The client's registered `scope`. */
  registered: string;
  /** Resource-scope ceiling of an EHR launch (the hook's effective scopes); undefined = no ceiling. */
  ceiling?: string;
  /** Launch patient; patient ∩ user scopes only survive with one (smart-scopes.md §5.2). */
  patientId?: string;
}

/**
 * Granted scope = requested ∩ registered ∩ ceiling (DESIGN.md flow 3). Resource scopes intersect
 * pairwise with the scope library; non-resource scopes (`openid`, `launch`, `offline_access`, …)
 * must be both requested and registered — the ceiling bounds data access only. Unparseable scopes
 * are dropped (SMART: unknown scopes "MAY be ignored"). Returns a space-separated string.
 */
export function grantScopes(input: ScopeGrantInput): string {
  const requested = parse(input.requested);
  const registered = parse(input.registered);
  const options = { patientId: input.patientId };
  let resources = intersect(requested.resourceScopes, registered.resourceScopes, options);
  if (input.ceiling !== undefined) resources = intersect(resources, parse(input.ceiling).resourceScopes, options);
  const registeredOpaque = new Set(registered.opaque);
  const opaque = [...new Set(requested.opaque.filter((s) => registeredOpaque.has(s)))];
  return [...opaque, ...formatScopes(resources)].join(' ');
}

/** True when every scope in `subset` is also in `of` (SMART app-launch.md refresh: "strict sub-set"). */
export function isScopeSubset(subset: string, of: string): boolean {
  const granted = new Set(scopeWords(of));
  return scopeWords(subset).every((s) => granted.has(s));
}

/** The words of a scope string. */
export function scopeWords(scope: string): string[] {
  return scope.split(/\s+/).filter((s) => s !== '');
}

/**
 * Backend services (SMART backend-services.md): every requested scope is a system/ resource scope
 * (or a registered non-resource scope) fully covered by the registration — nothing is silently narrowed.
 */
export function isSystemScopeWithin(requested: string, registered: string): boolean {
  const req = parse(requested);
  const reg = parse(registered);
  if (req.rejected.length > 0 || req.opaque.some((s) => !reg.opaque.includes(s))) return false;
  const registeredNeutral = neutral(reg.resourceScopes);
  return req.resourceScopes.every((s) => {
    const one = neutral([s]);
    return one.length === 1 && formatScopes(intersect(one, registeredNeutral)).join(' ') === formatScopes(one).join(' ');
  });
}

// The scope library never intersects system/ scopes (they are not user delegation), so backend
// scopes are compared with the same algebra under a neutral context.
function neutral(list: readonly ResourceScope[]): ResourceScope[] {
  return list.filter((s) => s.context === 'system').map((s) => ({ ...s, context: 'user' as const }));
}

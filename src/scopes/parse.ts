import { isResourceType } from './resource-types.js';
import { canonicalQuery } from './query.js';
import type { ParsedScopes, Permission, ResourceScope, ScopeContext, ScopeParam } from './types.js';

// smart-scopes.md §1.1/§1.2: context '/' (type | '*') '.' permissions ['?' param=value ('&' param=value)*].
const RESOURCE_SCOPE = /^(patient|user|system)\/([^.?]*)\.([^?]*)(?:\?(.*))?$/s;
// Order is enforced and duplicates are impossible (SMART 2.2: "a subset of the in-order string .cruds"; P6–P8).
const V2_PERMISSIONS = /^c?r?u?d?s?$/;
// §1.2: v1 → v2 mapping (servers SHOULD process `.read` as `.rs`, `.write` as `.cud`, `.*` as `.cruds`).
const V1_PERMISSIONS: Readonly<Record<string, string>> = { read: 'rs', write: 'cud', '*': 'cruds' };
// Plain search parameter names only: modifiers (`:`), chains (`.`), `_has`, `_include`, `_revinclude`, `_filter`
// are experimental or unsafe in scopes and are refused (P13–P15, MS "modifiers are not supported").
const PARAM_NAME = /^(?:_id|_tag|_security|_profile|[a-z][a-z0-9-]*)$/;
const PARAM_VALUE = /^[^\s=?&]+$/;

// `analytics.read` is this server's own API scope (DESIGN.md §Analytics contract), not a FHIR one.
const OPAQUE_WORDS = new Set(['launch', 'openid', 'fhirUser', 'profile', 'email', 'offline_access', 'online_access', 'analytics.read']);
// §1.1: `launch/<lowercasetype>` with an optional `?role=` (P19), `__ext` extension scopes and full URIs (P20).
const OPAQUE_PATTERNS = [/^launch\/[a-z][a-zA-Z]*(?:\?role=\S+)?$/, /^__\S+$/, /^[a-zA-Z][a-zA-Z0-9+.-]*:\S+$/];

/**
 * Parses SMART v1/v2 scopes. Resource scopes are normalised to v2 letters; non-resource scopes are kept
 * verbatim in `opaque`; anything else — including malformed resource scopes and the Entra-only forms
 * `patient.Patient.read`, `patient$Patient.read`, `patient%2fObservation.rs` (P24) — lands in `rejected`
 * and grants nothing (fail closed). v1 and v2 forms and several contexts may be mixed (P22, P23: design).
 */
export function parse(scopes: string | readonly string[]): ParsedScopes {
  const words = (typeof scopes === 'string' ? [scopes] : scopes).flatMap((s) => s.split(/\s+/)).filter((w) => w !== '');
  const result: ParsedScopes = { resourceScopes: [], opaque: [], rejected: [] };
  for (const word of words) {
    if (/^(?:patient|user|system)\//.test(word)) {
      const scope = parseResourceScope(word);
      if (scope) result.resourceScopes.push(scope);
      else result.rejected.push(word);
    } else if (OPAQUE_WORDS.has(word) || OPAQUE_PATTERNS.some((p) => p.test(word))) {
      result.opaque.push(word);
    } else {
      result.rejected.push(word);
    }
  }
  return result;
}

/** Parses one `context/type.perms[?query]` scope; undefined when any part is malformed. */
export function parseResourceScope(word: string): ResourceScope | undefined {
  const m = RESOURCE_SCOPE.exec(word);
  if (!m) return undefined;
  const [, context, resourceType, rawPermissions, rawQuery] = m as unknown as [string, ScopeContext, string, string, string | undefined];
  // P10: unknown or miscased types are refused rather than guessed.
  if (resourceType !== '*' && !isResourceType(resourceType)) return undefined;
  const letters = V1_PERMISSIONS[rawPermissions] ?? rawPermissions;
  // P11: `c?r?u?d?s?` also matches the empty string, so empty permissions are checked explicitly.
  if (letters === '' || !V2_PERMISSIONS.test(letters)) return undefined;
  const query = rawQuery === undefined ? [] : parseQuery(rawQuery);
  if (!query) return undefined;
  return { context, resourceType, permissions: [...letters] as Permission[], query: canonicalQuery(query) };
}

function parseQuery(raw: string): ScopeParam[] | undefined {
  const params: ScopeParam[] = [];
  for (const pair of raw.split('&')) {
    const eq = pair.indexOf('=');
    if (eq < 0) return undefined;
    const name = pair.slice(0, eq);
    const value = pair.slice(eq + 1);
    if (!PARAM_NAME.test(name) || !PARAM_VALUE.test(value)) return undefined;
    params.push({ name, value });
  }
  return params;
}

import type { DiscoveryService, HookName, ServiceApp, ServiceDefinition } from './cds-types.js';
import { parsePrefetchTemplate } from '../fhir/prefetch-template.js';
import { SUPPORTED_HOOKS } from './dto/cds-request.dto.js';

/** §Discovery `id`: it is a path segment of the service's URL (RFC 3986 unreserved characters). */
const PATH_SEGMENT = /^[A-Za-z0-9\-._~]+$/;

/**
 * §Discovery: the published part of a service definition. Optional attributes without a value are
 * omitted (§Use of JSON); `scopes` and the prefetch `essential` and `readable` declarations are host-only.
 */
export function toDiscoveryService(def: ServiceDefinition): DiscoveryService {
  const prefetch = Object.entries(def.prefetch ?? {}).map(([key, spec]) => [key, spec.template] as const);
  return {
    hook: def.hook,
    ...(def.title ? { title: def.title } : {}),
    description: def.description,
    id: def.id,
    ...(prefetch.length > 0 ? { prefetch: Object.fromEntries(prefetch) } : {}),
    ...(def.usageRequirements ? { usageRequirements: def.usageRequirements } : {}),
  };
}

/**
 * Problems that make a set of definitions unservable: ids are path segments and must be unique
 * here (§Discovery `id`), hooks must be ones we validate contexts for, descriptions are REQUIRED,
 * prefetch templates must stay within §Prefetch tokens and query restrictions.
 */
export function definitionProblems(defs: ServiceDefinition[]): string[] {
  const problems: string[] = [];
  const ids = new Set<string>();
  const apps = new Map<string, ServiceApp>();
  for (const def of defs) {
    if (!PATH_SEGMENT.test(def.id)) problems.push(`service id ${JSON.stringify(def.id)} is not a URL path segment`);
    if (ids.has(def.id)) problems.push(`service id ${def.id} is defined twice`);
    ids.add(def.id);
    if (!SUPPORTED_HOOKS.includes(def.hook as HookName)) problems.push(`service ${def.id}: unsupported hook ${def.hook}`);
    if (!def.description) problems.push(`service ${def.id}: description is required`);
    if (typeof def.evaluate !== 'function') problems.push(`service ${def.id}: evaluate is not a function`);
    for (const [key, spec] of Object.entries(def.prefetch ?? {})) {
      try {
        parsePrefetchTemplate(spec.template);
      } catch (e) {
        problems.push(`service ${def.id}: prefetch ${key}: ${(e as Error).message}`);
      }
    }
    if (def.app !== undefined) problems.push(...appProblems(def, def.app, apps));
  }
  return problems;
}

/** An app is served at `/apps/{clientId}/`, and services sharing a clientId must share one declaration. */
function appProblems(def: ServiceDefinition, app: ServiceApp, seen: Map<string, ServiceApp>): string[] {
  const problems: string[] = [];
  if (!PATH_SEGMENT.test(app.clientId)) problems.push(`service ${def.id}: app clientId ${JSON.stringify(app.clientId)} is not a URL path segment`);
  const earlier = seen.get(app.clientId);
  if (earlier !== undefined && earlier !== app) problems.push(`service ${def.id}: app ${app.clientId} is declared differently by another service`);
  seen.set(app.clientId, app);
  return problems;
}

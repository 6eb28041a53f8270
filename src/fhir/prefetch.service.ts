import { Inject, Injectable, Logger } from '@nestjs/common';
import type { FhirAccess } from '../ehr-auth/cds-client.js';
import { covers, evaluate, filterBundle, formatScopes, intersect, isResource, normalize, type EvaluationContext, type ResourceScope } from '../scopes/index.js';
import type { Bundle, EvaluationData, FhirResource, PrefetchingService, PrefetchRequest } from './fhir-types.js';
import { PreconditionFailed } from './prefetch-errors.js';
import { parsePrefetchTemplate, prefetchTokenValues, renderPrefetchTemplate, type RenderedPrefetch } from './prefetch-template.js';

/** What PrefetchService.resolve() hands to the CDS service call. */
export interface PrefetchResult {
  data: EvaluationData;
  /** Entries removed by the scope evaluator; recorded, never passed to evaluate(). */
  dropped: number;
}

/** Injection token: overall budget (ms) for fetching the missing keys of one call; FhirModule provides 2000. */
export const PREFETCH_TIMEOUT_MS = Symbol('PREFETCH_TIMEOUT_MS');

/** Outcome for one key: a value for evaluate() (`null` = "no data"; undefined = unobtainable) and entries dropped. */
interface KeyOutcome {
  value: FhirResource | null | undefined;
  dropped: number;
}

const UNOBTAINABLE: KeyOutcome = { value: undefined, dropped: 0 };

/**
 * Resolves a service's prefetch for one call (DESIGN.md flow 1, cds-hooks.md §1.4, smart-scopes.md §5.3/§5.6).
 *
 * Effective scopes: with a usable `fhirAuthorization` (`access`, decided by the caller with ehr-auth's
 * fhirAccessFor), service scopes ∩ delegated scopes in the bound patient (C3/C4). Without one (C1) nothing is delegated to us and nothing is fetched: the
 * prefetch the EHR sent under the user's rights is still evaluated, against the SERVICE's own requested scopes
 * in the context patient, so a service never sees more than it declared.
 *
 * Per key of the service's templates (other keys are ignored, P6): `null` = no data, not refetched (P3); a
 * resource or Bundle is passed through the evaluator (read for a resource, search for a Bundle; dropped entries
 * are counted, never passed on, C5); a missing key or an OperationOutcome (P4) is fetched from the allow-listed
 * `fhirServer` with `Authorization: Bearer` (P2), only while the token is valid (C7) and only when the effective
 * scopes permit that read (`r`) or search (`s`) on the type; all fetches run in parallel under one timeout. A
 * searchset with a `next` link is used as its first page (P5: policy, paging would multiply latency). A key
 * still missing that the service marks `required` → PreconditionFailed (412, P1).
 */
@Injectable()
export class PrefetchService {
  private readonly logger = new Logger(PrefetchService.name);

  constructor(@Inject(PREFETCH_TIMEOUT_MS) private readonly timeoutMs: number) {}

  async resolve(service: PrefetchingService, request: PrefetchRequest, access: FhirAccess | undefined, now: number): Promise<PrefetchResult> {
    const patientId = access ? access.patient : stringOrUndefined(request.context?.patientId);
    // smart-scopes.md §5.3: patient scopes without a (matching, C4) patient id are no access, so never fetched.
    const scopes = (access ? intersect(service.scopes, access.scope, { patientId }) : normalize(service.scopes)).filter(
      (s) => s.context !== 'patient' || patientId !== undefined,
    );
    const ctx: EvaluationContext = { patientId, fhirBase: access?.fhirServer ?? stringOrUndefined(request.fhirServer) };
    const supplied = request.prefetch ?? {};
    const templates = Object.entries(service.prefetch ?? {});

    const outcomes = new Map<string, KeyOutcome>();
    const missing: string[] = [];
    for (const [key] of templates) {
      const value = Object.hasOwn(supplied, key) ? supplied[key] : undefined;
      if (value === null) outcomes.set(key, { value: null, dropped: 0 });
      else if (isResource(value) && value.resourceType !== 'OperationOutcome') outcomes.set(key, this.admit(value, scopes, ctx));
      else missing.push(key);
    }
    if (missing.length) {
      const fetched = await this.fetchMissing(missing, service, request, access, scopes, ctx, now);
      for (const [key, outcome] of fetched) outcomes.set(key, outcome);
    }

    const prefetch: Record<string, FhirResource | null> = {};
    let dropped = 0;
    for (const [key, outcome] of outcomes) {
      dropped += outcome.dropped;
      if (outcome.value !== undefined) prefetch[key] = outcome.value;
    }
    if (dropped) this.logger.log(`service ${service.id}: scope evaluator dropped ${dropped} prefetch entr${dropped === 1 ? 'y' : 'ies'}`);
    const unobtainable = templates.filter(([key, spec]) => spec.required && !Object.hasOwn(prefetch, key)).map(([key]) => key);
    if (unobtainable.length) throw new PreconditionFailed(unobtainable);
    return { data: { prefetch, effectiveScopes: formatScopes(scopes) }, dropped };
  }

  /** Passes a resource or Bundle through the scope evaluator; a denied single resource is unobtainable. */
  private admit(value: FhirResource, scopes: readonly ResourceScope[], ctx: EvaluationContext): KeyOutcome {
    if (value.resourceType === 'Bundle') {
      const { bundle, dropped } = filterBundle(value as Bundle, 'search', scopes, ctx);
      return { value: bundle, dropped };
    }
    return evaluate(value, 'read', scopes, ctx) ? { value, dropped: 0 } : { value: undefined, dropped: 1 };
  }

  private async fetchMissing(
    keys: string[],
    service: PrefetchingService,
    request: PrefetchRequest,
    access: FhirAccess | undefined,
    scopes: readonly ResourceScope[],
    ctx: EvaluationContext,
    now: number,
  ): Promise<Map<string, KeyOutcome>> {
    const results = new Map<string, KeyOutcome>();
    // C1: no usable token or server not allow-listed → prefetch only; C7: a spent token is never used.
    const server = access?.fhirServer;
    if (!access || !server || access.expiresAt <= now) return results;
    const values = prefetchTokenValues(request.context ?? {});
    const controller = new AbortController();
    const timer = setTimeout(() => controller.abort(), this.timeoutMs);
    try {
      await Promise.all(
        keys.map(async (key) => {
          const rendered = this.render(service, key, values);
          if (!rendered) return;
          // smart-scopes.md §5.5: refuse locally rather than ask the server for what the scopes do not permit.
          if (!covers(scopes, rendered.resourceType, rendered.interaction === 'read' ? 'r' : 's')) {
            this.logger.log(`service ${service.id}: prefetch "${key}" not permitted by the effective scopes, not fetched`);
            return;
          }
          results.set(key, await this.fetchOne(server, access.accessToken, rendered, key, scopes, ctx, controller.signal));
        }),
      );
    } finally {
      clearTimeout(timer);
    }
    return results;
  }

  private render(service: PrefetchingService, key: string, values: ReturnType<typeof prefetchTokenValues>): RenderedPrefetch | undefined {
    try {
      return renderPrefetchTemplate(parsePrefetchTemplate(service.prefetch?.[key]?.template ?? ''), values);
    } catch (e) {
      this.logger.warn(`service ${service.id}: prefetch "${key}": ${(e as Error).message}`);
      return undefined;
    }
  }

  private async fetchOne(
    server: string,
    token: string,
    rendered: RenderedPrefetch,
    key: string,
    scopes: readonly ResourceScope[],
    ctx: EvaluationContext,
    signal: AbortSignal,
  ): Promise<KeyOutcome> {
    try {
      const res = await fetch(`${server.replace(/\/+$/, '')}/${rendered.url}`, {
        headers: { Authorization: `Bearer ${token}`, Accept: 'application/fhir+json' },
        signal,
        redirect: 'error',
      });
      // A read that finds nothing is "no data", like a `null` prefetch value.
      if (res.status === 404 && rendered.interaction === 'read') return { value: null, dropped: 0 };
      if (!res.ok) {
        this.logger.warn(`prefetch "${key}": FHIR server answered ${res.status}`);
        return UNOBTAINABLE;
      }
      const body: unknown = await res.json();
      if (!isResource(body) || body.resourceType === 'OperationOutcome') return UNOBTAINABLE;
      return this.admit(body, scopes, ctx);
    } catch (e) {
      // Never log the URL (it carries patient ids) or anything from the request headers.
      this.logger.warn(`prefetch "${key}": fetch failed (${(e as Error).name})`);
      return UNOBTAINABLE;
    }
  }
}

function stringOrUndefined(value: unknown): string | undefined {
  return typeof value === 'string' && value !== '' ? value : undefined;
}

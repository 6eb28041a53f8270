import { Inject, Injectable, Logger } from '@nestjs/common';
import { APP_CONFIG, type AppConfig, type LimitsConfig } from '../config/app-config.js';
import type { FhirAccess } from '../ehr-auth/cds-client.js';
import { inputProblem } from '../http/input-bounds.js';
import { covers, INTERACTION_LETTER, isResource, type EvaluationContext, type ResourceScope } from '../scopes/index.js';
import { EffectiveScopesMemo } from './effective-scopes.js';
import type { EvaluationData, FhirResource, PrefetchingService, PrefetchRequest, PrefetchSpec, UnavailablePrefetch, UnavailableReason } from './fhir-types.js';
import { readAtMost } from './bounded-read.js';
import { admit, exceedsResources, unavailable, type Admission } from './prefetch-admission.js';
import { PreconditionFailed } from './prefetch-errors.js';
import { parsePrefetchTemplate, prefetchTokenValues, renderPrefetchTemplate, type RenderedPrefetch } from './prefetch-template.js';
import { emit } from '../http/telemetry.js';

/** What PrefetchService.resolve() hands to the CDS service call. */
export interface PrefetchResult {
  data: EvaluationData;
  /** Resources removed by the scope evaluator or as unreadable; recorded, never passed to evaluate(). */
  dropped: number;
}

/** Injection token: overall budget (ms) for fetching the missing keys of one call; FhirModule provides 2000. */
export const PREFETCH_TIMEOUT_MS = Symbol('PREFETCH_TIMEOUT_MS');

/** A key to fetch, and why it is unavailable if it cannot be fetched. */
interface MissingKey {
  key: string;
  unfetched: UnavailableReason;
}

/** Why a supplied value that is not usable data leaves the key unavailable when nothing can be fetched. */
function unusableReason(value: unknown): UnavailableReason {
  if (value === undefined) return 'not-supplied-and-not-fetchable';
  return isResource(value) ? 'fetch-failed' : 'invalid-data';
}

/** `key (reason[, n entries])`, for logs: key names and counts only, never data, ids or URLs. */
function describeUnavailable(list: readonly UnavailablePrefetch[]): string {
  return list.map((u) => `${u.key} (${u.reason}${u.entries === undefined ? '' : `, ${u.entries} entr${u.entries === 1 ? 'y' : 'ies'}`})`).join(', ');
}

/**
 * Resolves a service's prefetch for one call (DESIGN.md flow 1, cds-hooks.md §1.4, smart-scopes.md §5.3/§5.6).
 *
 * Effective scopes: with a usable `fhirAuthorization` (`access`, decided by the caller with ehr-auth's
 * fhirAccessFor), service scopes ∩ delegated scopes in the bound patient (C3/C4). Without one (C1) nothing is delegated to us and nothing is fetched: the
 * prefetch the EHR sent under the user's rights is still evaluated, against the SERVICE's own requested scopes
 * in the context patient, so a service never sees more than it declared.
 *
 * Per key of the service's templates (other keys are ignored, P6): `null` = no data, not refetched (P3); a
 * resource or Bundle is admitted (prefetch-admission.ts: shape, scope evaluator, the service's reader; what
 * is removed is counted, never passed on, C5); a missing key, an OperationOutcome (P4) or a value that is no
 * resource is fetched from the allow-listed `fhirServer` with `Authorization: Bearer` (P2), only while the
 * token is valid (C7) and only when the effective scopes permit that read (`r`) or search (`s`) on the type;
 * all fetches run in parallel under one timeout. A searchset with a `next` link is used as its first page
 * (P5: policy, paging would multiply latency). Whatever is still missing is reported to the service in
 * `EvaluationData.unavailable` with its reason and logged; only a key the service declares `essential`
 * turns the call into PreconditionFailed (412, P1).
 */
@Injectable()
export class PrefetchService {
  private readonly logger = new Logger(PrefetchService.name);

  private readonly limits: LimitsConfig;
  private readonly effective = new EffectiveScopesMemo();

  constructor(
    @Inject(PREFETCH_TIMEOUT_MS) private readonly timeoutMs: number,
    @Inject(APP_CONFIG) config: AppConfig,
  ) {
    this.limits = config.limits;
  }

  async resolve(service: PrefetchingService, request: PrefetchRequest, access: FhirAccess | undefined, now: number): Promise<PrefetchResult> {
    const patientId = access ? access.patient : stringOrUndefined(request.context?.patientId);
    // smart-scopes.md §5.3: patient scopes without a (matching, C4) patient id are no access, so never fetched.
    const { scopes, formatted } = this.effective.get(service.id, service.scopes, access?.scope, patientId);
    const ctx: EvaluationContext = { patientId, fhirBase: access?.fhirServer ?? stringOrUndefined(request.fhirServer) };
    const supplied = request.prefetch ?? {};
    const specs = service.prefetch ?? {};

    const outcomes = new Map<string, Admission>();
    const missing: MissingKey[] = [];
    for (const [key, spec] of Object.entries(specs)) {
      const value = Object.hasOwn(supplied, key) ? supplied[key] : undefined;
      if (value === null) outcomes.set(key, { value: null, dropped: 0, gaps: [] });
      else if (isResource(value) && value.resourceType !== 'OperationOutcome') outcomes.set(key, this.admitWithin(value, spec, scopes, ctx));
      else missing.push({ key, unfetched: unusableReason(value) });
    }
    if (missing.length) {
      const fetched = await this.fetchMissing(missing.map((m) => m.key), service, request, access, scopes, ctx, now);
      for (const { key, unfetched } of missing) outcomes.set(key, fetched.get(key) ?? unavailable(unfetched));
    }

    const prefetch: Record<string, FhirResource | null> = {};
    const unavailableKeys: UnavailablePrefetch[] = [];
    let dropped = 0;
    for (const [key, outcome] of outcomes) {
      dropped += outcome.dropped;
      if (outcome.value !== undefined) prefetch[key] = outcome.value;
      unavailableKeys.push(...outcome.gaps.map((gap) => ({ key, ...gap })));
    }
    if (dropped) this.logger.log(`service ${service.id}: dropped ${dropped} prefetch entr${dropped === 1 ? 'y' : 'ies'} (scope evaluator or unreadable)`);
    const essential = Object.entries(specs).filter(([key, spec]) => spec.essential && !Object.hasOwn(prefetch, key)).map(([key]) => key);
    if (essential.length) {
      this.logger.warn(`service ${service.id}: essential prefetch unavailable, answering 412: ${describeUnavailable(unavailableKeys.filter((u) => essential.includes(u.key)))}`);
      throw new PreconditionFailed(essential);
    }
    if (unavailableKeys.length) this.logger.warn(`service ${service.id}: prefetch incomplete, evaluating with what arrived: ${describeUnavailable(unavailableKeys)}`);
    return { data: { prefetch, unavailable: unavailableKeys, effectiveScopes: [...formatted] }, dropped };
  }

  private async fetchMissing(
    keys: string[],
    service: PrefetchingService,
    request: PrefetchRequest,
    access: FhirAccess | undefined,
    scopes: readonly ResourceScope[],
    ctx: EvaluationContext,
    now: number,
  ): Promise<Map<string, Admission>> {
    const results = new Map<string, Admission>();
    // C1: no usable token or server not allow-listed → prefetch only; C7: a spent token is never used.
    const server = access?.fhirServer;
    if (!access || !server || access.expiresAt <= now) return results;
    const values = prefetchTokenValues(request.context ?? {});
    const controller = new AbortController();
    const timer = setTimeout(() => controller.abort(), this.timeoutMs);
    try {
      await Promise.all(
        keys.map(async (key) => {
          const spec = service.prefetch?.[key];
          const rendered = spec && this.render(service.id, key, spec.template, values);
          if (!spec || !rendered) return;
          // smart-scopes.md §5.5: refuse locally rather than ask the server for what the scopes do not permit.
          if (!covers(scopes, rendered.resourceType, INTERACTION_LETTER[rendered.interaction])) {
            this.logger.log(`service ${service.id}: prefetch "${key}" not permitted by the effective scopes, not fetched`);
            results.set(key, unavailable('scope-dropped'));
            return;
          }
          const fetched = await this.fetchOne(server, access.accessToken, rendered, spec, key, scopes, ctx, controller.signal);
          emit('prefetch.fetch', { serviceId: service.id, outcome: fetched.value === undefined ? 'failed' : 'ok' });
          results.set(key, fetched);
        }),
      );
    } finally {
      clearTimeout(timer);
    }
    return results;
  }

  /** admit(), unless the value holds more resources than a key may (`limits.prefetchResources`): then the key is `too-large`. */
  private admitWithin(value: FhirResource, spec: PrefetchSpec, scopes: readonly ResourceScope[], ctx: EvaluationContext): Admission {
    return exceedsResources(value, this.limits.prefetchResources) ? unavailable('too-large') : admit(value, spec, scopes, ctx);
  }

  private render(serviceId: string, key: string, template: string, values: ReturnType<typeof prefetchTokenValues>): RenderedPrefetch | undefined {
    try {
      return renderPrefetchTemplate(parsePrefetchTemplate(template), values);
    } catch (e) {
      this.logger.warn(`service ${serviceId}: prefetch "${key}": ${(e as Error).message}`);
      return undefined;
    }
  }

  private async fetchOne(
    server: string,
    token: string,
    rendered: RenderedPrefetch,
    spec: PrefetchSpec,
    key: string,
    scopes: readonly ResourceScope[],
    ctx: EvaluationContext,
    signal: AbortSignal,
  ): Promise<Admission> {
    try {
      const res = await fetch(`${server.replace(/\/+$/, '')}/${rendered.url}`, {
        headers: { Authorization: `Bearer ${token}`, Accept: 'application/fhir+json' },
        signal,
        redirect: 'error',
      });
      // A read that finds nothing is "no data", like a `null` prefetch value.
      if (res.status === 404 && rendered.interaction === 'read') return { value: null, dropped: 0, gaps: [] };
      if (!res.ok) {
        this.logger.warn(`prefetch "${key}": FHIR server answered ${res.status}`);
        return unavailable('fetch-failed');
      }
      const text = await readAtMost(res, this.limits.prefetchBytes);
      if (text === undefined) {
        this.logger.warn(`prefetch "${key}": FHIR server answered more than ${this.limits.prefetchBytes} bytes, not read further`);
        return unavailable('too-large');
      }
      let body: unknown;
      try {
        body = JSON.parse(text);
      } catch {
        return unavailable('invalid-data');
      }
      // The same bounds as a request body: nothing fetched is walked by recursive code or stored unless it fits them.
      const problem = inputProblem(body, { maxDepth: this.limits.jsonDepth, maxArrayItems: this.limits.arrayItems });
      if (problem) return unavailable(problem.kind === 'too-large' ? 'too-large' : 'invalid-data');
      return isResource(body) ? this.admitWithin(body, spec, scopes, ctx) : unavailable('invalid-data');
    } catch (e) {
      // Never log the URL (it carries patient ids) or anything from the request headers.
      this.logger.warn(`prefetch "${key}": fetch failed (${(e as Error).name})`);
      return unavailable('fetch-failed');
    }
  }
}

function stringOrUndefined(value: unknown): string | undefined {
  return typeof value === 'string' && value !== '' ? value : undefined;
}

import { Inject, Injectable } from '@nestjs/common';
import { APP_CONFIG, type AppConfig } from '../../config/app-config.js';
import { covers, type EvaluationContext, evaluate, type FhirResource, type Interaction, INTERACTION_LETTER, isResource, isResourceType } from '../../scopes/index.js';
import type { ActiveAccessToken } from '../../smart/access-token.verifier.js';
import { smartUrls } from '../../smart/smart-urls.js';
import { ForbiddenIssue, InvalidIssue, NotFoundIssue, UpstreamIssue } from './fhir-errors.js';
import { FHIR_SOURCE, type FhirSource } from './fhir-source.js';
import { parseSearch } from './search.js';
import { type PendingWrite, WritePolicy } from './write-policy.service.js';
import type { OperationOutcome } from '../../http/operation-outcome.js';

/** A searchset Bundle. */
export interface SearchBundle extends FhirResource {
  type: 'searchset';
  total: number;
  entry: { fullUrl: string; resource: FhirResource; search: { mode: 'match' } }[];
}

/**
 * The /fhir interactions for launched apps (DESIGN.md flow 4). Every decision is the scope
 * evaluator's: type and letter up front (`covers`), then each resource (`evaluate`), so a token for
 * patient A never returns patient B's data. The same decisions apply whichever FhirSource serves the
 * data (embedded store or upstream server): a source only moves resources.
 */
@Injectable()
export class FhirService {
  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(FHIR_SOURCE) private readonly source: FhirSource,
    private readonly policy: WritePolicy,
  ) {}

  /**
   * A resource the token may not read is answered exactly like one that does not exist (same status, same
   * body): a 403 would tell that another patient's record exists. RFC 9110 §15.5.4: a server that wishes to
   * "hide" the existence of a forbidden target resource MAY answer 404. Type-level refusals stay 403: they
   * reveal no record.
   */
  async read(token: ActiveAccessToken, type: string, id: string): Promise<FhirResource> {
    this.require(token, type, 'read');
    const resource = await this.source.read(token.grant.context.partition, type, id);
    if (!resource || !evaluate(resource, 'read', token.claims.scope, await this.context(token, [resource]))) throw new NotFoundIssue(`${type}/${id} is not known`);
    return resource;
  }

  async search(token: ActiveAccessToken, type: string, query: Record<string, unknown>): Promise<SearchBundle> {
    this.require(token, type, 'search');
    const search = parseSearch(query);
    const found = (await this.source.search(token.grant.context.partition, type, search)).filter((r) => search.matches(r));
    const ctx = await this.context(token, found);
    // Drop, never leak: resources outside the scopes are simply not part of the result (smart-scopes.md §5.4).
    const matches = found.filter((r) => evaluate(r, 'search', token.claims.scope, ctx));
    const base = smartUrls(this.config).fhirBase;
    return {
      resourceType: 'Bundle',
      type: 'searchset',
      total: matches.length,
      entry: matches.slice(0, search.count).map((resource) => ({ fullUrl: `${base}/${type}/${resource.id}`, resource, search: { mode: 'match' } })),
    };
  }

  async create(token: ActiveAccessToken, type: string, body: unknown): Promise<FhirResource> {
    const write = this.pendingCreate(token, type, body);
    const accepted = await this.policy.admit(token, write);
    const stored = this.written(token, await this.source.create(token.grant.context.partition, write.body), 'create');
    await this.policy.record(token, write, stored, accepted);
    return stored;
  }

  async update(token: ActiveAccessToken, type: string, id: string, body: unknown): Promise<FhirResource> {
    const write = await this.pendingUpdate(token, type, id, body);
    const accepted = await this.policy.admit(token, write);
    const stored = this.written(token, await this.source.update(token.grant.context.partition, { ...write.body, id }), 'update');
    await this.policy.record(token, write, stored, accepted);
    return stored;
  }

  /**
   * `POST /fhir/{type}/$validate` (FHIR R4 Resource $validate; DESIGN.md "Pre-emptive"): the resource raw or as
   * `Parameters.resource`, `mode` create (default) or update (the resource's id). The same checks as the write,
   * then the write policy's answer; nothing is written.
   */
  async validate(token: ActiveAccessToken, type: string, body: unknown): Promise<OperationOutcome> {
    const { resource, mode } = validateInput(body);
    const write = mode === 'update' ? await this.pendingUpdate(token, type, String(resource.id ?? ''), resource) : this.pendingCreate(token, type, resource);
    return this.policy.validate(token, write);
  }

  private pendingCreate(token: ActiveAccessToken, type: string, body: unknown): PendingWrite {
    const resource = this.writable(token, type, body, 'create');
    return { interaction: 'create', htm: 'POST', htu: `${smartUrls(this.config).fhirBase}/${type}`, body: resource };
  }

  private async pendingUpdate(token: ActiveAccessToken, type: string, id: string, body: unknown): Promise<PendingWrite> {
    const resource = this.writable(token, type, body, 'update');
    if (resource.id !== id) throw new InvalidIssue('the resource id must equal the URL id');
    const existing = await this.source.read(token.grant.context.partition, type, id);
    // An update may not move a resource the token cannot see (smart-scopes.md §5.4: update needs read of the old version).
    if (existing && !evaluate(existing, 'update', token.claims.scope, this.writeContext(token))) throw new ForbiddenIssue(`the access token does not allow updating ${type}/${id}`);
    return { interaction: 'update', htm: 'PUT', htu: `${smartUrls(this.config).fhirBase}/${type}/${encodeURIComponent(id)}`, body: resource };
  }

  /**
   * What a source stored is returned only if the token could have written it: an upstream server may change
   * a resource on write, and nothing outside the scopes is ever answered (smart-scopes.md §5.4).
   */
  private written(token: ActiveAccessToken, stored: FhirResource, interaction: Interaction): FhirResource {
    if (!evaluate(stored, interaction, token.claims.scope, this.writeContext(token))) throw new UpstreamIssue(`the stored ${stored.resourceType} is outside the access token's scopes`);
    return stored;
  }

  /** Types the client registered as `writableTypes`, and scopes that allow the write of this very resource. */
  private writable(token: ActiveAccessToken, type: string, body: unknown, interaction: Interaction): FhirResource {
    this.require(token, type, interaction);
    const client = this.config.smartClients.find((c) => c.clientId === token.claims.client_id);
    if (!client?.writableTypes.includes(type)) throw new ForbiddenIssue(`this app may not write ${type}`);
    if (!isResource(body) || body.resourceType !== type) throw new InvalidIssue(`the body must be a ${type} resource`);
    if (!evaluate(body, interaction, token.claims.scope, this.writeContext(token))) throw new ForbiddenIssue(`the access token does not allow this ${type}`);
    return body;
  }

  private require(token: ActiveAccessToken, type: string, interaction: Interaction): void {
    if (!isResourceType(type)) throw new NotFoundIssue(`unknown resource type ${type}`);
    if (!covers(token.claims.scope, type, INTERACTION_LETTER[interaction])) throw new ForbiddenIssue(`the access token has no ${interaction} scope for ${type}`);
  }

  private writeContext(token: ActiveAccessToken): EvaluationContext {
    return { patientId: token.grant.context.patient, fhirBase: smartUrls(this.config).fhirBase };
  }

  /**
   * The evaluation context for reading `resources`: a Provenance is visible when one of its targets is
   * (smart-scopes.md §5.4, E14), so the targets of any Provenance among them are loaded for `resolve`.
   */
  private async context(token: ActiveAccessToken, resources: readonly FhirResource[]): Promise<EvaluationContext> {
    const refs = [...new Set(resources.filter((r) => r.resourceType === 'Provenance').flatMap(provenanceTargets))];
    const partition = token.grant.context.partition;
    const targets = new Map<string, FhirResource>();
    for (const ref of refs) {
      const [type, id] = ref.split('/');
      const target = type && id && isResourceType(type) ? await this.source.read(partition, type, id) : undefined;
      if (target) targets.set(ref, target);
    }
    return { ...this.writeContext(token), resolve: (reference) => targets.get(reference) };
  }
}

/** The resource and mode of a `$validate` body: a resource, or Parameters with `resource` and optional `mode`. */
function validateInput(body: unknown): { resource: FhirResource; mode: 'create' | 'update' } {
  if (!isResource(body)) throw new InvalidIssue('the body must be a resource or Parameters');
  if (body.resourceType !== 'Parameters') return { resource: body, mode: 'create' };
  const params = Array.isArray(body.parameter) ? (body.parameter as { name?: unknown; resource?: unknown; valueCode?: unknown }[]) : [];
  const resource = params.find((p) => p?.name === 'resource')?.resource;
  const mode = params.find((p) => p?.name === 'mode')?.valueCode ?? 'create';
  if (!isResource(resource)) throw new InvalidIssue('Parameters must carry a resource parameter');
  if (mode !== 'create' && mode !== 'update') throw new InvalidIssue('$validate supports mode create or update');
  return { resource, mode };
}

/** The relative `Type/id` targets of a Provenance. */
function provenanceTargets(provenance: FhirResource): string[] {
  const targets = Array.isArray(provenance.target) ? provenance.target : [];
  return targets.flatMap((t: unknown) => {
    const ref = (t as { reference?: unknown } | null)?.reference;
    return typeof ref === 'string' && /^[A-Za-z]+\/[A-Za-z0-9\-.]{1,64}$/.test(ref) ? [ref] : [];
  });
}

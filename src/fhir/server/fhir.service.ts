import { Inject, Injectable } from '@nestjs/common';
import { APP_CONFIG, type AppConfig } from '../../config/app-config.js';
import { covers, type EvaluationContext, evaluate, type FhirResource, type Interaction, INTERACTION_LETTER, isResource, isResourceType } from '../../scopes/index.js';
import type { ActiveAccessToken } from '../../smart/access-token.verifier.js';
import { smartUrls } from '../../smart/smart-urls.js';
import { ForbiddenIssue, InvalidIssue, NotFoundIssue, UpstreamIssue } from './fhir-errors.js';
import { FHIR_SOURCE, type FhirSource } from './fhir-source.js';
import { parseSearch } from './search.js';

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
    if (!resource || !evaluate(resource, 'read', token.claims.scope, this.context(token))) throw new NotFoundIssue(`${type}/${id} is not known`);
    return resource;
  }

  async search(token: ActiveAccessToken, type: string, query: Record<string, unknown>): Promise<SearchBundle> {
    this.require(token, type, 'search');
    const search = parseSearch(query);
    const ctx = this.context(token);
    const all = await this.source.search(token.grant.context.partition, type, search);
    // Drop, never leak: resources outside the scopes are simply not part of the result (smart-scopes.md §5.4).
    const matches = all.filter((r) => search.matches(r) && evaluate(r, 'search', token.claims.scope, ctx));
    const base = smartUrls(this.config).fhirBase;
    return {
      resourceType: 'Bundle',
      type: 'searchset',
      total: matches.length,
      entry: matches.slice(0, search.count).map((resource) => ({ fullUrl: `${base}/${type}/${resource.id}`, resource, search: { mode: 'match' } })),
    };
  }

  async create(token: ActiveAccessToken, type: string, body: unknown): Promise<FhirResource> {
    const resource = this.writable(token, type, body, 'create');
    return this.written(token, await this.source.create(token.grant.context.partition, resource), 'create');
  }

  async update(token: ActiveAccessToken, type: string, id: string, body: unknown): Promise<FhirResource> {
    const resource = this.writable(token, type, body, 'update');
    if (resource.id !== id) throw new InvalidIssue('the resource id must equal the URL id');
    const existing = await this.source.read(token.grant.context.partition, type, id);
    // An update may not move a resource the token cannot see (smart-scopes.md §5.4: update needs read of the old version).
    if (existing && !evaluate(existing, 'update', token.claims.scope, this.context(token))) throw new ForbiddenIssue(`the access token does not allow updating ${type}/${id}`);
    return this.written(token, await this.source.update(token.grant.context.partition, { ...resource, id }), 'update');
  }

  /**
   * What a source stored is returned only if the token could have written it: an upstream server may change
   * a resource on write, and nothing outside the scopes is ever answered (smart-scopes.md §5.4).
   */
  private written(token: ActiveAccessToken, stored: FhirResource, interaction: Interaction): FhirResource {
    if (!evaluate(stored, interaction, token.claims.scope, this.context(token))) throw new UpstreamIssue(`the stored ${stored.resourceType} is outside the access token's scopes`);
    return stored;
  }

  /** Types the client registered as `writableTypes`, and scopes that allow the write of this very resource. */
  private writable(token: ActiveAccessToken, type: string, body: unknown, interaction: Interaction): FhirResource {
    this.require(token, type, interaction);
    const client = this.config.smartClients.find((c) => c.clientId === token.claims.client_id);
    if (!client?.writableTypes.includes(type)) throw new ForbiddenIssue(`this app may not write ${type}`);
    if (!isResource(body) || body.resourceType !== type) throw new InvalidIssue(`the body must be a ${type} resource`);
    if (!evaluate(body, interaction, token.claims.scope, this.context(token))) throw new ForbiddenIssue(`the access token does not allow this ${type}`);
    return body;
  }

  private require(token: ActiveAccessToken, type: string, interaction: Interaction): void {
    if (!isResourceType(type)) throw new NotFoundIssue(`unknown resource type ${type}`);
    if (!covers(token.claims.scope, type, INTERACTION_LETTER[interaction])) throw new ForbiddenIssue(`the access token has no ${interaction} scope for ${type}`);
  }

  private context(token: ActiveAccessToken): EvaluationContext {
    return { patientId: token.grant.context.patient, fhirBase: smartUrls(this.config).fhirBase };
  }
}

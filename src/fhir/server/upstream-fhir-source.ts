import { Logger } from '@nestjs/common';
import { inputProblem, type JsonBounds } from '../../http/input-bounds.js';
import { readAtMost } from '../bounded-read.js';
import { type FhirResource, isResource } from '../../scopes/index.js';
import { FhirIssue, InvalidIssue, NotFoundIssue, UpstreamIssue } from './fhir-errors.js';
import type { FhirSource } from './fhir-source.js';
import type { Search } from './search.js';

/** The `upstreamFhir` config block. */
export interface UpstreamFhirConfig {
  baseUrl: string;
  bearerToken?: string;
}

/** How long one upstream request (headers and body) may take before /fhir answers 502. */
export const UPSTREAM_TIMEOUT_MS = 5000;

/** How much of an upstream answer is read, and the JSON bounds it must meet (the config's `limits`). */
export interface UpstreamBounds extends JsonBounds {
  maxBytes: number;
}

const DEFAULT_BOUNDS: UpstreamBounds = { maxBytes: 5_000_000, maxDepth: 100, maxArrayItems: 10_000 };

/**
 * The proxy mode: reads, searches and writes go to the configured FHIR server with its own bearer token
 * (never the app's access token, RFC 6750 tokens are audience-bound to us). Redirects are refused so the
 * token never leaves for another host. Upstream 404/410 → not found, 400/422 → invalid, anything else
 * unusable → 502; the upstream body is never passed on.
 */
export class UpstreamFhirSource implements FhirSource {
  private readonly logger = new Logger('UpstreamFhir');
  private readonly base: string;

  constructor(
    private readonly upstream: UpstreamFhirConfig,
    private readonly timeoutMs: number = UPSTREAM_TIMEOUT_MS,
    private readonly bounds: UpstreamBounds = DEFAULT_BOUNDS,
  ) {
    this.base = upstream.baseUrl.replace(/\/+$/, '');
  }

  async read(_partition: string, type: string, id: string): Promise<FhirResource | undefined> {
    try {
      return this.expect(await this.call('GET', type, `${type}/${encodeURIComponent(id)}`), type, id);
    } catch (e) {
      if (e instanceof NotFoundIssue) return undefined;
      throw e;
    }
  }

  async search(_partition: string, type: string, search: Search): Promise<FhirResource[]> {
    const query = new URLSearchParams(search.params).toString();
    const bundle = await this.call('GET', type, query ? `${type}?${query}` : type);
    if (bundle.resourceType !== 'Bundle') throw this.unusable(type, 'not a Bundle');
    const entries: unknown[] = Array.isArray(bundle.entry) ? bundle.entry : [];
    // Only match entries of the searched type: we never ask for _include, and outcome entries are not results.
    return entries.flatMap((entry) => {
      const { resource, search: mode } = entry as { resource?: unknown; search?: { mode?: unknown } };
      const isMatch = mode?.mode === undefined || mode.mode === 'match';
      return isMatch && isResource(resource) && resource.resourceType === type ? [resource] : [];
    });
  }

  async create(_partition: string, resource: FhirResource): Promise<FhirResource> {
    // FHIR R4 http.html#create: the server assigns the id.
    const { id: _ignored, ...body } = resource;
    return this.expect(await this.call('POST', resource.resourceType, resource.resourceType, body), resource.resourceType);
  }

  async update(_partition: string, resource: FhirResource & { id: string }): Promise<FhirResource> {
    const type = resource.resourceType;
    return this.expect(await this.call('PUT', type, `${type}/${encodeURIComponent(resource.id)}`, resource), type, resource.id);
  }

  /** One request; answers the parsed resource of a 2xx or throws the FhirIssue it maps to. */
  private async call(method: 'GET' | 'POST' | 'PUT', type: string, path: string, body?: FhirResource): Promise<FhirResource> {
    const headers: Record<string, string> = { Accept: 'application/fhir+json' };
    if (this.upstream.bearerToken) headers.Authorization = `Bearer ${this.upstream.bearerToken}`;
    const init: RequestInit = { method, headers, redirect: 'error', signal: AbortSignal.timeout(this.timeoutMs) };
    if (body) {
      headers['Content-Type'] = 'application/fhir+json';
      // FHIR R4 http.html#ops: ask for the stored resource, so it can be checked and returned.
      headers.Prefer = 'return=representation';
      init.body = JSON.stringify(body);
    }
    try {
      const res = await fetch(`${this.base}/${path}`, init);
      if (res.status === 404 || res.status === 410) throw new NotFoundIssue(`${type} is not known upstream`);
      if (res.status === 400 || res.status === 422) throw new InvalidIssue(`the upstream FHIR server rejected the ${type} request`);
      if (!res.ok) throw this.unusable(type, `status ${res.status}`);
      // A hostile or broken upstream is cut off at the bound, and what it sends must meet the request bounds.
      const text = await readAtMost(res, this.bounds.maxBytes);
      if (text === undefined) throw this.unusable(type, 'answer too large');
      const parsed: unknown = JSON.parse(text);
      if (inputProblem(parsed, this.bounds)) throw this.unusable(type, 'answer outside the JSON bounds');
      if (!isResource(parsed)) throw this.unusable(type, 'not a FHIR resource');
      return parsed;
    } catch (e) {
      if (e instanceof FhirIssue) throw e;
      // Timeout, refused redirect, connection failure or bad JSON; never log the URL (patient ids) or headers.
      throw this.unusable(type, (e as Error).name);
    }
  }

  /** The answer must be the resource asked for (type, and id when known), nothing else. */
  private expect(resource: FhirResource, type: string, id?: string): FhirResource {
    if (resource.resourceType !== type || (id !== undefined && resource.id !== id)) throw this.unusable(type, 'another resource than asked for');
    return resource;
  }

  private unusable(type: string, reason: string): UpstreamIssue {
    this.logger.warn(`upstream FHIR request for ${type} failed: ${reason}`);
    return new UpstreamIssue('the upstream FHIR server did not answer usably');
  }
}

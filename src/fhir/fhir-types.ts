import type { FhirResource } from '../scopes/index.js';

/**
 * FHIR R4 resources as JSON (the scope library's FhirResource), and what prefetch resolution hands a
 * service. `hooks/` may `import type` these; `src/cds/cds-types.ts` re-exports them with the CDS
 * Hooks wire types.
 */
export type { FhirResource };

export interface BundleEntry {
  fullUrl?: string;
  resource?: FhirResource;
  [key: string]: unknown;
}

export interface Bundle extends FhirResource {
  resourceType: 'Bundle';
  type?: string;
  entry?: BundleEntry[];
  link?: { relation: string; url: string }[];
}

/** What a service's `evaluate()` sees besides the request: prefetch after scope filtering. */
export interface EvaluationData {
  /** Prefetch key → resource, searchset Bundle, or null ("no data"). Missing key = not obtainable. */
  prefetch: Record<string, FhirResource | null>;
  /** Effective SMART scopes of this call (service's requested ∩ user's delegated), normalised. */
  effectiveScopes: string[];
}

/** One prefetch template as declared in discovery, plus whether the service cannot work without it. */
export interface PrefetchSpec {
  template: string;
  /** When the key cannot be obtained, answer 412 (spec §Prefetch) instead of calling evaluate(). */
  required?: boolean;
}

/** What prefetch resolution needs of a service definition. */
export interface PrefetchingService {
  id: string;
  prefetch?: Record<string, PrefetchSpec>;
  scopes: string[];
}

/** What prefetch resolution needs of a service call body. */
export interface PrefetchRequest {
  fhirServer?: string;
  context: { patientId?: unknown; [key: string]: unknown };
  prefetch?: Record<string, unknown>;
}

import type { FhirResource } from '../scopes/index.js';
import type { OverrideLevel } from '../smart/override/override-types.js';

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

/**
 * Why prefetch data did not reach `evaluate()` (CDS Hooks §Prefetch: the service must learn what it lacks
 * instead of answering as if it had checked everything).
 * - `not-supplied-and-not-fetchable`: the EHR sent no value and the host could not fetch it (no usable
 *   `fhirAuthorization`, `fhirServer` not allow-listed, token spent, template not renderable).
 * - `fetch-failed`: the EHR reported an error (an OperationOutcome in place of the data or inside the
 *   searchset), or the host's fetch failed (network, timeout, an error status).
 * - `scope-dropped`: the effective scopes do not cover it (not fetched, or removed by the scope evaluator).
 * - `invalid-data`: not of the shape FHIR or the service needs (unreadable entries, a non-array `entry`).
 * - `too-large`: over a configured size bound.
 */
export type UnavailableReason = 'not-supplied-and-not-fetchable' | 'fetch-failed' | 'scope-dropped' | 'invalid-data' | 'too-large';

/** One prefetch key, or some entries of it, that `evaluate()` does not get, and why. No data, no ids. */
export interface UnavailablePrefetch {
  key: string;
  reason: UnavailableReason;
  /**
   * Set when only some entries of the key were left out for this reason (the rest is in `prefetch`):
   * how many. Absent: the whole key is missing from `prefetch`.
   */
  entries?: number;
}

/** What a service's `evaluate()` sees besides the request: prefetch after scope filtering. */
export interface EvaluationData {
  /** Prefetch key → resource, searchset Bundle, or null ("no data"). A key not here is listed in `unavailable`. */
  prefetch: Record<string, FhirResource | null>;
  /** The service's keys, or entries of them, that could not be had, one per key and reason; [] when all arrived. */
  unavailable: UnavailablePrefetch[];
  /** Effective SMART scopes of this call (service's requested ∩ user's delegated), normalised. */
  effectiveScopes: string[];
}

/**
 * One prefetch template as declared in discovery, plus two host-only declarations. By default a key that
 * cannot be had does not stop the call: `evaluate()` runs with it listed in `EvaluationData.unavailable`,
 * and the service runs every check the remaining data allows and says which it could not perform.
 */
export interface PrefetchSpec {
  template: string;
  /**
   * The service can check nothing at all without this key (not merely less): when the whole key cannot be
   * had, the host answers 412 (CDS Hooks §Prefetch: "required data cannot be obtained") instead of calling
   * `evaluate()`. A service that can still check something (e.g. draft orders against each other) leaves
   * this unset and never answers 412 for the key.
   */
  essential?: boolean;
  /**
   * The service's shape check of one resource of this key (a read's result, or each searchset entry), from
   * the service's own reader: false = the service cannot read it, so the host drops it, counts it like a
   * scope drop and reports it as `invalid-data`. Pure. Resources of types the service does not read should
   * pass. Unset: every well-formed resource is passed on.
   */
  readable?(resource: FhirResource): boolean;
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

/**
 * How the clinician authorizes a write a rule refuses (DESIGN.md "Step-up override protocol"):
 * `confirm` is one click on a page that names the action; `reauthenticate` is the same user's
 * password again (RFC 9470 §3: `max_age=0`). The authorization server defines it.
 */
export type { OverrideLevel };

/** What a write rule looks at: the resource an app writes through /fhir and the data of its launch. */
export interface WriteRuleInput {
  /** The resource as the app sent it. */
  resource: FhirResource;
  /** The launch's patient. */
  patientId?: string;
  /** The launch's data (the hook call's snapshot plus the launch's earlier writes), without the written resource. */
  data: readonly FhirResource[];
}

/** A rule the write trips: which, the level it needs, and why in plain words (no markdown). */
export interface WriteRuleFinding {
  rule: string;
  level: OverrideLevel;
  reason: string;
  /** A critical clinical finding: overriding it also records a DetectedIssue with the clinician's mitigation. */
  critical: boolean;
}

/**
 * A service's write rule (DESIGN.md flow 5): declared with its id and level so the host can check the
 * operator's `overrides` at boot, and a pure check (no I/O, no clock) that answers null when the write
 * needs no override.
 */
export interface WriteRule {
  rule: string;
  level: OverrideLevel;
  /** The resource types of the launch's data the check compares the write with (the host loads only these). */
  reads: readonly string[];
  check(input: WriteRuleInput): WriteRuleFinding | null;
}

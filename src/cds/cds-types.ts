/**
 * CDS Hooks 2.0 wire types (https://cds-hooks.hl7.org/2.0/) and the service-definition contract that
 * `hooks/` implements. `hooks/` may only `import type` from this file.
 */

import type { FhirAuthorization } from '../ehr-auth/fhir-authorization.js';
import type { Bundle, EvaluationData, FhirResource, PrefetchSpec, WriteRule } from '../fhir/fhir-types.js';

export type {
  Bundle,
  BundleEntry,
  EvaluationData,
  FhirResource,
  OverrideLevel,
  PrefetchSpec,
  UnavailablePrefetch,
  UnavailableReason,
  WriteRule,
  WriteRuleFinding,
  WriteRuleInput,
} from '../fhir/fhir-types.js';
export type { FhirAuthorization } from '../ehr-auth/fhir-authorization.js';

/** §Coding: `code` and `system` required, `display` required where the spec says so. */
export interface Coding {
  system: string;
  code: string;
  display?: string;
}

/** Hooks this host validates contexts for (cds-hooks-library 1.0.1). */
export type HookName = 'order-select' | 'order-sign' | 'medication-prescribe' | 'patient-view';

export interface HookContext {
  userId: string;
  patientId: string;
  encounterId?: string;
  /** order-select */
  selections?: string[];
  /** order-select, order-sign */
  draftOrders?: Bundle;
  /** medication-prescribe (legacy) */
  medications?: Bundle;
  [key: string]: unknown;
}

/** §HTTP Request body of a service call. */
export interface CdsRequest {
  hook: string;
  hookInstance: string;
  fhirServer?: string;
  fhirAuthorization?: FhirAuthorization;
  context: HookContext;
  prefetch?: Record<string, unknown>;
  extension?: Record<string, unknown>;
}

/** §Action. */
export interface Action {
  type: 'create' | 'update' | 'delete';
  description: string;
  resource?: FhirResource;
  resourceId?: string;
}

/** §Suggestion. `uuid` is assigned by the host when the service leaves it out. */
export interface Suggestion {
  label: string;
  uuid?: string;
  isRecommended?: boolean;
  actions?: Action[];
}

/**
 * §Link. A service that wants Hookwarden to launch one of its registered SMART apps sets `app`
 * (the client id) instead of a final URL: the host turns it into a signed click-through URL that
 * mints a fresh launch when clicked (DESIGN.md flow 2). `app` never reaches the wire.
 */
export interface Link {
  label: string;
  url: string;
  type: 'absolute' | 'smart';
  appContext?: string;
  autolaunchable?: boolean;
  /** Host-only: client id of a registered SMART app to launch through the click-through endpoint. */
  app?: string;
}

export interface Source {
  label: string;
  url?: string;
  icon?: string;
  topic?: Coding;
}

export type Indicator = 'info' | 'warning' | 'critical';

/** §Card. `uuid` is assigned by the host when the service leaves it out. */
export interface Card {
  uuid?: string;
  summary: string;
  detail?: string;
  indicator: Indicator;
  source: Source;
  suggestions?: Suggestion[];
  selectionBehavior?: 'at-most-one' | 'any';
  overrideReasons?: Coding[];
  links?: Link[];
  /** §Extensions: always an object; the host adds its own (e.g. a signed feedback URL). */
  extension?: Record<string, unknown>;
  /**
   * Host-only: the stable id of the knowledge-base rule that made the card (e.g. an interaction
   * rule's id, `drug-allergy`), recorded with the card for analytics. CDS Hooks §Card has no such
   * attribute, so it never reaches the wire.
   */
  rule?: string;
}

/** §CDS Service Response. */
export interface CdsResponse {
  cards: Card[];
  systemActions?: Action[];
}

/**
 * A SMART app a service ships with (DESIGN.md: `hooks/<service>/` holds its SMART app's static files).
 * The host serves `files` at `/apps/{clientId}/` and registers the app as a SMART client, public
 * (a static browser app keeps no secret), unless the operator registered that clientId: the
 * operator's entry wins.
 */
export interface ServiceApp {
  clientId: string;
  name: string;
  /** The most the app may be granted (space-separated SMART scopes). */
  scope: string;
  /** FHIR types the app may create and update on /fhir. */
  writableTypes?: string[];
  /** The folder of the app's static files (a `file:` URL, resolved against the definition's module). */
  files: URL;
  /** Under `/apps/{clientId}/`: the page the launch opens, and the app's redirect URI. */
  launchPath: string;
  redirectPath: string;
  /** Skip the consent page: the clinician launched it from a card in their EHR session. */
  autoApprove?: boolean;
}

/**
 * A CDS service served by this host. Everything except `evaluate` is data and is published in
 * discovery (`scopes` and `required` flags are host-only). `evaluate` is pure: no I/O, no clock.
 */
export interface ServiceDefinition {
  id: string;
  hook: HookName;
  title: string;
  description: string;
  usageRequirements?: string;
  prefetch?: Record<string, PrefetchSpec>;
  /** SMART scopes the service needs, e.g. `patient/MedicationRequest.rs`; intersected per call. */
  scopes: string[];
  /** The app the service's card links launch, when the service ships one. */
  app?: ServiceApp;
  /** Its section under `hooks:` in the configuration file; services of one knowledge base share one. */
  configKey?: string;
  /** Rules /fhir applies to the writes of an app launched from this service's cards (DESIGN.md flow 5). */
  writeRules?: WriteRule[];
  evaluate(request: CdsRequest, data: EvaluationData): CdsResponse;
}

/** Discovery entry (§Discovery Response). */
export interface DiscoveryService {
  hook: string;
  title?: string;
  description: string;
  id: string;
  prefetch?: Record<string, string>;
  usageRequirements?: string;
}

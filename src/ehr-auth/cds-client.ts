import type { EhrConfig } from '../config/app-config.js';

/**
 * The authenticated caller of a CDS endpoint, set on the request by CdsClientGuard.
 * `authenticated: false` only when the operator turned `auth.required` off for local development.
 */
export interface CdsClient {
  authenticated: boolean;
  issuer: string | null;
  tenant?: string;
  jti?: string;
  /** The trusted EHR entry that matched `iss` (absent when unauthenticated). */
  ehr?: EhrConfig;
}

/** What a hook call may do with `fhirAuthorization` after the trust rules (DESIGN.md § Trust rules). */
export interface FhirAccess {
  /** The bearer token; transient: never stored or logged. */
  accessToken: string;
  /** Set only when `fhirServer` is on the authenticated issuer's `fhirServers` list and the token is usable. */
  fhirServer?: string;
  /** The delegated scope string as sent (`fhirAuthorization.scope`). */
  scope: string;
  /** Patient the patient/ scopes are bound to; undefined when unknown or mismatched (smart-scopes.md C3/C4). */
  patient?: string;
  /** epoch ms after which the token must not be used (C7). */
  expiresAt: number;
}

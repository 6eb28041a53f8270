import type { EhrConfig } from '../config/app-config.js';
import type { CdsClient, FhirAccess } from './cds-client.js';

/**
 * What a hook call may do with `fhirAuthorization` (CDS Hooks §Passing the Access Token to the CDS
 * Service, DESIGN.md § Trust rules, smart-scopes.md §6.4). Pure rules, one per function; the token
 * itself is only passed through, never stored or logged.
 */

/** §Passing the Access Token: `token_type` is fixed to `Bearer` (compared case-insensitively, RFC 6749 §5.1). */
export function isBearer(tokenType: unknown): boolean {
  return typeof tokenType === 'string' && tokenType.toLowerCase() === 'bearer';
}

/** §Passing the Access Token: `expires_in` is an integer number of seconds; a spent token (≤ 0) is unusable (C7). */
export function validExpiresIn(expiresIn: unknown): expiresIn is number {
  return typeof expiresIn === 'number' && Number.isInteger(expiresIn) && expiresIn > 0;
}

/**
 * §Passing the Access Token: `subject` is our OAuth client id at the EHR's authorization server.
 * When the issuer's `clientId` is configured, a token minted for another client is not ours to use.
 */
export function subjectMatches(subject: unknown, ehr: Pick<EhrConfig, 'clientId'> | undefined): boolean {
  return ehr?.clientId === undefined || subject === ehr.clientId;
}

/**
 * The patient the patient/ scopes are bound to: `fhirAuthorization.patient` when it agrees with
 * `context.patientId`; the context patient when the field is absent (C3, "SHOULD be populated");
 * none when they disagree (C4), so no patient-scope access follows from the token.
 */
export function boundPatient(authPatient: unknown, contextPatientId: unknown): string | undefined {
  const context = typeof contextPatientId === 'string' && contextPatientId ? contextPatientId : undefined;
  if (authPatient === undefined) return context;
  return typeof authPatient === 'string' && authPatient === context ? authPatient : undefined;
}

/** §Passing the Access Token to the CDS Service: the `fhirAuthorization` member of a hook call. */
export interface FhirAuthorization {
  access_token: string;
  token_type: 'Bearer';
  expires_in: number;
  scope: string;
  subject: string;
  patient?: string;
}

/** The members of a hook call the trust rules read. */
export interface FhirAuthorizingRequest {
  fhirServer?: unknown;
  fhirAuthorization?: FhirAuthorization;
  context?: { patientId?: unknown };
}

function withoutTrailingSlash(url: string): string {
  return url.replace(/\/+$/, '');
}

/**
 * DESIGN.md § Trust rules: `fhirServer` is untrusted input. It is returned (in the configured
 * spelling) only when it is one of the authenticated issuer's `fhirServers`, ignoring only a
 * trailing slash; otherwise undefined and the service works from prefetch alone.
 */
export function allowListedFhirServer(fhirServer: unknown, ehr: Pick<EhrConfig, 'fhirServers'> | undefined): string | undefined {
  if (typeof fhirServer !== 'string' || !ehr) return undefined;
  const wanted = withoutTrailingSlash(fhirServer);
  return ehr.fhirServers.find((s) => withoutTrailingSlash(s) === wanted);
}

function usableToken(auth: FhirAuthorization | undefined, ehr: EhrConfig | undefined): auth is FhirAuthorization {
  return (
    auth !== undefined &&
    typeof auth.access_token === 'string' &&
    auth.access_token.length > 0 &&
    isBearer(auth.token_type) &&
    validExpiresIn(auth.expires_in) &&
    typeof auth.scope === 'string' &&
    subjectMatches(auth.subject, ehr)
  );
}

/**
 * The FHIR access a hook call grants after the trust rules, or undefined when the request carries
 * no usable `fhirAuthorization` (C1: prefetch only). `now` is epoch ms; `expiresAt` = now + expires_in.
 * `fhirServer` is set only for an authenticated client whose allow-list holds it.
 */
export function fhirAccessFor(request: FhirAuthorizingRequest, client: CdsClient, now: number): FhirAccess | undefined {
  const auth = request.fhirAuthorization;
  const ehr = client.authenticated ? client.ehr : undefined;
  if (!usableToken(auth, ehr)) return undefined;
  return {
    accessToken: auth.access_token,
    fhirServer: allowListedFhirServer(request.fhirServer, ehr),
    scope: auth.scope,
    patient: boundPatient(auth.patient, request.context?.patientId),
    expiresAt: now + auth.expires_in * 1000,
  };
}

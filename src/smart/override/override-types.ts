/**
 * The step-up override protocol's vocabulary (DESIGN.md "Step-up override protocol"): RFC 9396
 * authorization details of type `hookwarden-override`, the override-request token that carries a
 * refused write to the authorization server, and the RFC 9470 `acr` values of the two levels.
 */

/** How the clinician authorizes: one click on a page naming the action, or their password again. */
export type OverrideLevel = 'confirm' | 'reauthenticate';

/** RFC 9396 §2 `type` of our authorization details. */
export const OVERRIDE_DETAILS_TYPE = 'hookwarden-override';

/** JWS `typ` of an override-request token (RFC 8725 §3.11: explicit typing). */
export const OVERRIDE_REQUEST_TYP = 'override-request+jwt';

/** DESIGN.md: an override-request token lives at most five minutes. */
export const OVERRIDE_REQUEST_SECONDS = 300;

/** RFC 9470 §3 `acr` values, one per level. */
export const ACR_VALUES: Record<OverrideLevel, string> = {
  confirm: 'urn:hookwarden:acr:confirm',
  reauthenticate: 'urn:hookwarden:acr:reauthenticate',
};

const RANK: Record<OverrideLevel, number> = { confirm: 0, reauthenticate: 1 };

/** Whether an authorization at `granted` satisfies a rule that needs `needed` (re-authentication satisfies a confirm). */
export function levelSatisfies(granted: OverrideLevel, needed: OverrideLevel): boolean {
  return RANK[granted] >= RANK[needed];
}

/** The higher of the levels (the page asks for the strongest one any listed rule needs). */
export function highestLevel(levels: readonly OverrideLevel[]): OverrideLevel {
  return levels.some((l) => l === 'reauthenticate') ? 'reauthenticate' : 'confirm';
}

/** The one call an override is for: method, absolute URL and body digest (RFC 9449-style `htm`/`htu`). */
export interface OverrideTarget {
  htm: string;
  htu: string;
  /** `sha-256=` base64 of the canonical JSON body. */
  digest: string;
}

/** Claims of an override-request token (DESIGN.md). It grants nothing by itself. */
export interface OverrideRequestClaims extends OverrideTarget {
  rule: string;
  level: OverrideLevel;
  /** The rule's reason in plain words, for the authorization page. */
  reason: string;
  client_id: string;
  /** The grant's user (fhirUser reference). */
  sub: string;
  patient?: string;
  /** The grant the refused call was made under. */
  grant: string;
  jti: string;
  iat: number;
  exp: number;
}

/** One granted authorization detail (RFC 9396 §7: returned in the token response and carried by the token). */
export interface OverrideDetail extends OverrideTarget {
  type: typeof OVERRIDE_DETAILS_TYPE;
  rule: string;
  level: OverrideLevel;
  patient?: string;
  /** The override-request token's jti this detail answers. */
  request: string;
}

/** What an override grant carries to every token issued from it. */
export interface OverrideGrant {
  details: OverrideDetail[];
  /** RFC 9470 §3: how the user authorized, and when (seconds since the epoch). */
  acr: string;
  authTime: number;
  /** The user who authorized (the request's `sub`). */
  sub: string;
  /** The grant the refused call was made under. */
  baseGrant: string;
}

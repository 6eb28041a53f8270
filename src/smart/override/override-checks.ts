import { InvalidAuthorizationDetails } from './override-errors.js';
import {
  ACR_VALUES,
  levelSatisfies,
  OVERRIDE_DETAILS_TYPE,
  type OverrideDetail,
  type OverrideGrant,
  type OverrideLevel,
  type OverrideRequestClaims,
  type OverrideTarget,
} from './override-types.js';

/*
 * The security decisions of the step-up override protocol, pure: what an authorization request may
 * ask for (RFC 9396 §2, §5), and whether an override authorizes one exact write (RFC 9396 §7,
 * RFC 9470 §3). Each check names what it checks and answers the problem in words, or undefined.
 */

/** A rule a write trips, at the level the host requires (service's, raised by the operator). */
export interface RequiredOverride {
  rule: string;
  level: OverrideLevel;
}

/** The write being attempted, as the override must match it. */
export interface WriteAttempt extends OverrideTarget {
  clientId: string;
  /** The bearer token's user. */
  sub?: string;
  patient?: string;
}

/**
 * RFC 9396 §2: `authorization_details` is a JSON array of objects with a `type`; ours must be
 * `hookwarden-override` with an `override_request` string. Anything else is §5
 * `invalid_authorization_details`. Returns the override-request tokens.
 */
export function parseAuthorizationDetails(raw: string): string[] {
  let value: unknown;
  try {
    value = JSON.parse(raw);
  } catch {
    throw new InvalidAuthorizationDetails('authorization_details is not JSON');
  }
  if (!Array.isArray(value) || value.length === 0) throw new InvalidAuthorizationDetails('authorization_details must be a non-empty JSON array');
  return value.map((entry: unknown) => {
    const detail = entry as { type?: unknown; override_request?: unknown } | null;
    if (typeof detail !== 'object' || detail === null || Array.isArray(detail)) throw new InvalidAuthorizationDetails('each authorization detail must be an object');
    if (detail.type !== OVERRIDE_DETAILS_TYPE) throw new InvalidAuthorizationDetails(`authorization detail type must be ${OVERRIDE_DETAILS_TYPE}`);
    if (typeof detail.override_request !== 'string' || detail.override_request === '') throw new InvalidAuthorizationDetails('override_request is required');
    return detail.override_request;
  });
}

/** RFC 9396 §5: an override request is for the client it was issued to, never another. */
export function checkRequestClient(claims: OverrideRequestClaims, clientId: string): void {
  if (claims.client_id !== clientId) throw new InvalidAuthorizationDetails('override_request was issued to another client');
}

const callKey = (c: OverrideRequestClaims): string => JSON.stringify([c.htm, c.htu, c.digest, c.sub, c.patient ?? null, c.grant]);

/** One authorization covers one call: every listed request names the same call, user, patient and grant. */
export function checkSameCall(requests: readonly OverrideRequestClaims[]): void {
  const [first] = requests;
  if (requests.some((c) => callKey(c) !== callKey(first))) throw new InvalidAuthorizationDetails('the override requests are for different calls');
}

/** The granted authorization details (RFC 9396 §7) for verified requests. */
export function grantedDetails(requests: readonly OverrideRequestClaims[]): OverrideDetail[] {
  return requests.map((c) => ({ type: OVERRIDE_DETAILS_TYPE, rule: c.rule, level: c.level, htm: c.htm, htu: c.htu, digest: c.digest, patient: c.patient, request: c.jti }));
}

/** The level an `acr` stands for (RFC 9470 §3), or undefined for a value we never issue. */
export function levelOfAcr(acr: string): OverrideLevel | undefined {
  return (Object.keys(ACR_VALUES) as OverrideLevel[]).find((l) => ACR_VALUES[l] === acr);
}

/** RFC 9470 §3: the authentication behind the override (`acr`) must be at least what the rule needs. */
export function checkLevel(override: OverrideGrant, required: RequiredOverride): string | undefined {
  const granted = levelOfAcr(override.acr);
  if (granted === undefined || !levelSatisfies(granted, required.level)) return `rule ${required.rule} needs ${required.level}, the override was authorized by ${granted ?? 'an unknown method'}`;
  return undefined;
}

/** RFC 9396 §7: a detail was granted for this rule. */
export function detailFor(override: OverrideGrant, required: RequiredOverride): OverrideDetail | undefined {
  return override.details.find((d) => d.rule === required.rule);
}

/** The override is for this HTTP method. */
export function checkMethod(detail: OverrideDetail, attempt: WriteAttempt): string | undefined {
  return detail.htm === attempt.htm ? undefined : 'the override is for another method';
}

/** The override is for this absolute URL. */
export function checkUrl(detail: OverrideDetail, attempt: WriteAttempt): string | undefined {
  return detail.htu === attempt.htu ? undefined : 'the override is for another URL';
}

/** The override is for this very body (digest of its canonical JSON). */
export function checkDigest(detail: OverrideDetail, attempt: WriteAttempt): string | undefined {
  return detail.digest === attempt.digest ? undefined : 'the override is for another body';
}

/** The override is for this patient. */
export function checkPatient(detail: OverrideDetail, attempt: WriteAttempt): string | undefined {
  return (detail.patient ?? null) === (attempt.patient ?? null) ? undefined : 'the override is for another patient';
}

/** The user who authorized is the user making the call. */
export function checkUser(override: OverrideGrant, attempt: WriteAttempt): string | undefined {
  return override.sub === attempt.sub ? undefined : 'the override was authorized by another user';
}

/**
 * Why `override` (undefined: the bearer token carries none) does not authorize `attempt` for `required`:
 * the problems in words, [] when it does. Client binding holds by construction (the override is the bearer
 * token, issued to one client), so `overrideClient` is checked too for a token that was issued elsewhere.
 */
export function overrideProblems(override: OverrideGrant | undefined, overrideClient: string | undefined, attempt: WriteAttempt, required: RequiredOverride): string[] {
  if (override === undefined) return [`rule ${required.rule} needs an override (${required.level})`];
  const detail = detailFor(override, required);
  if (detail === undefined) return [`the override does not cover rule ${required.rule}`];
  const problems = [
    checkLevel(override, required),
    checkMethod(detail, attempt),
    checkUrl(detail, attempt),
    checkDigest(detail, attempt),
    checkPatient(detail, attempt),
    checkUser(override, attempt),
    overrideClient === attempt.clientId ? undefined : 'the override was issued to another client',
  ];
  return problems.filter((p): p is string => p !== undefined);
}

import type { EhrConfig } from '../config/app-config.js';
import { DEFAULT_EHR_ALGORITHMS } from '../config/config.schema.js';
import { CLOCK_SKEW_S } from '../http/clock-skew.js';
import { isStorableText } from '../http/input-bounds.js';

/**
 * The CDS client JWT rules (CDS Hooks 2.0 §Trusting CDS Clients, cds-hooks/docs best-practices
 * "JWT", DESIGN.md § Trust rules), one pure function per rule. They run on the still-unverified
 * token so nothing is fetched for a token we would refuse anyway; the signature and the jti store
 * come after them.
 */

/** Longest accepted `exp − iat`, in seconds (DESIGN.md: at most 5 minutes). */
const MAX_LIFETIME_S = 300;

/** Longest `jti` we store; longer values are refused rather than written to the shared store. */
const MAX_JTI_LENGTH = 255;

/** Names of the checks, as logged when a token is refused (never sent to the caller). */
export type JwtCheckName =
  | 'bearer'
  | 'malformed'
  | 'issuer'
  | 'algorithm'
  | 'typ'
  | 'crit'
  | 'kid'
  | 'jku'
  | 'audience'
  | 'expiry'
  | 'lifetime'
  | 'issued-at'
  | 'jti'
  | 'tenant'
  | 'key'
  | 'signature'
  | 'replay';

/** The unverified JOSE header fields the checks read. */
export interface JwtHeaderFields {
  alg?: unknown;
  typ?: unknown;
  kid?: unknown;
  jku?: unknown;
  crit?: unknown;
}

/** The unverified claims the checks read; unknown claims (e.g. `sub`) are tolerated. */
export interface JwtClaimFields {
  iss?: unknown;
  aud?: unknown;
  exp?: unknown;
  iat?: unknown;
  jti?: unknown;
  tenant?: unknown;
}

/** §Trusting CDS Clients step 1: the `iss` must be an allow-listed EHR; returns that entry. */
export function trustedIssuer(iss: unknown, ehrs: readonly EhrConfig[]): EhrConfig | undefined {
  return typeof iss === 'string' ? ehrs.find((e) => e.issuer === iss) : undefined;
}

/**
 * §Trusting CDS Clients: `alg` SHALL NOT be `none` nor symmetric, and must be one the issuer is
 * configured for. `none` and HS* are refused even if a configuration lists them.
 */
export function algorithmAllowed(alg: unknown, ehr: Pick<EhrConfig, 'algorithms'>): boolean {
  if (typeof alg !== 'string' || alg.toLowerCase() === 'none' || /^HS/i.test(alg)) return false;
  const allowed: readonly string[] = ehr.algorithms?.length ? ehr.algorithms : DEFAULT_EHR_ALGORITHMS;
  return allowed.includes(alg);
}

/** §Trusting CDS Clients: the `typ` header is fixed to `JWT`. */
export function typIsJwt(typ: unknown): boolean {
  return typ === 'JWT';
}

/**
 * RFC 7515 §4.1.11: a recipient that does not understand every extension named in `crit` MUST reject
 * the JWS. CDS Hooks defines none and this service understands none, so any `crit` is refused
 * (a malformed one too: "producers MUST NOT use the empty list", names must be strings).
 */
export function noCriticalExtensions(crit: unknown): boolean {
  return crit === undefined;
}

/** §Trusting CDS Clients: `kid` is REQUIRED, it selects the key in the client's JWK Set. */
export function kidPresent(kid: unknown): kid is string {
  return typeof kid === 'string' && kid.length > 0;
}

/**
 * §Trusting CDS Clients: services SHOULD allow-list `jku` URLs. A `jku` is accepted only when it is
 * exactly the issuer's configured `jwksUrl`; we never fetch a URL taken from the token.
 */
export function jkuAllowed(jku: unknown, ehr: Pick<EhrConfig, 'jwksUrl'>): boolean {
  return jku === undefined || (typeof jku === 'string' && ehr.jwksUrl !== undefined && jku === ehr.jwksUrl);
}

/**
 * The URL being invoked, from the configured public URL and the request path (never the Host
 * header, which a proxy or the caller controls). The query string is not part of the endpoint.
 */
export function expectedAudience(publicUrl: string, path: string): string {
  return publicUrl.replace(/\/+$/, '') + path.split('?')[0];
}

/**
 * §Trusting CDS Clients: `aud` (string or array) MUST be the URL of the endpoint being invoked.
 * Exact comparison: a trailing-slash variant names a different endpoint.
 */
export function audienceMatches(aud: unknown, expected: string): boolean {
  if (typeof aud === 'string') return aud === expected;
  return Array.isArray(aud) && aud.some((a) => a === expected);
}

function isNumericDate(v: unknown): v is number {
  return typeof v === 'number' && Number.isFinite(v);
}

/** §Trusting CDS Clients step 3: `exp` is REQUIRED and not passed (with CLOCK_SKEW_S). `now` in epoch ms. */
export function notExpired(exp: unknown, now: number): boolean {
  return isNumericDate(exp) && now / 1000 <= exp + CLOCK_SKEW_S;
}

/** DESIGN.md § Trust rules: `exp` at most 5 minutes after `iat` (plus leeway); `iat` is REQUIRED. */
export function lifetimeWithinLimit(iat: unknown, exp: unknown): boolean {
  return isNumericDate(iat) && isNumericDate(exp) && exp - iat <= MAX_LIFETIME_S + CLOCK_SKEW_S;
}

/** cds-hooks/docs #188: an `iat` in the future (beyond the leeway) is refused. `now` in epoch ms. */
export function issuedAtNotInFuture(iat: unknown, now: number): boolean {
  return isNumericDate(iat) && iat <= now / 1000 + CLOCK_SKEW_S;
}

/**
 * §Trusting CDS Clients: `jti` is REQUIRED (anti-replay nonce); bounded so the store stays small, and
 * text the store can hold (RFC 7519 §4.1.7: a case-sensitive string; no NUL, no unpaired surrogate).
 */
export function jtiPresent(jti: unknown): jti is string {
  return typeof jti === 'string' && jti.length > 0 && jti.length <= MAX_JTI_LENGTH && isStorableText(jti);
}

/** Best practices step 4: when the issuer lists tenants, `tenant` must be one of them. */
export function tenantAllowed(tenant: unknown, ehr: Pick<EhrConfig, 'tenants'>): boolean {
  // Recorded with every call and card, so it must be text the database can store.
  if (!ehr.tenants) return tenant === undefined || (typeof tenant === 'string' && isStorableText(tenant));
  return typeof tenant === 'string' && ehr.tenants.includes(tenant);
}

/** Outcome of `checkUnverifiedJwt`: the trusted EHR, or the name of the first failed check. */
export type PreflightResult = { ok: true; ehr: EhrConfig } | { ok: false; check: JwtCheckName };

/**
 * Runs every check that needs no key, in an order that refuses unknown issuers before anything
 * else, so nothing about an untrusted token (its `jku`, its `kid`) can cause a fetch.
 */
export function checkUnverifiedJwt(
  header: JwtHeaderFields,
  claims: JwtClaimFields,
  ctx: { ehrs: readonly EhrConfig[]; audience: string; now: number },
): PreflightResult {
  const ehr = trustedIssuer(claims.iss, ctx.ehrs);
  if (!ehr) return { ok: false, check: 'issuer' };
  const checks: [JwtCheckName, () => boolean][] = [
    ['algorithm', () => algorithmAllowed(header.alg, ehr)],
    ['typ', () => typIsJwt(header.typ)],
    ['crit', () => noCriticalExtensions(header.crit)],
    ['kid', () => kidPresent(header.kid)],
    ['jku', () => jkuAllowed(header.jku, ehr)],
    ['audience', () => audienceMatches(claims.aud, ctx.audience)],
    ['expiry', () => notExpired(claims.exp, ctx.now)],
    ['lifetime', () => lifetimeWithinLimit(claims.iat, claims.exp)],
    ['issued-at', () => issuedAtNotInFuture(claims.iat, ctx.now)],
    ['jti', () => jtiPresent(claims.jti)],
    ['tenant', () => tenantAllowed(claims.tenant, ehr)],
  ];
  const failed = checks.find(([, passes]) => !passes())?.[0];
  return failed ? { ok: false, check: failed } : { ok: true, ehr };
}

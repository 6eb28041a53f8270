import { FHIR_USER, type IdentityProviderConfig, type UserConfig } from '../../config/config.schema.js';

/** The id_token claims the mapping reads (already validated by the relying party: iss, aud, nonce, exp). */
export type UpstreamClaims = Record<string, unknown> & { sub: string };

/** The domain part of an email address, lower-cased. */
function emailDomain(email: unknown): string | undefined {
  return typeof email === 'string' && email.includes('@') ? email.slice(email.lastIndexOf('@') + 1).toLowerCase() : undefined;
}

/**
 * `allowedDomains`: the hosted-domain claim `hd` (Google's), or the domain of an `email` whose
 * `email_verified` is true (OIDC Core §5.1: an unverified address proves nothing), must be listed.
 */
export function isAllowedDomain(claims: UpstreamClaims, allowed: readonly string[]): boolean {
  if (allowed.length === 0) return true;
  const domains = allowed.map((d) => d.toLowerCase());
  if (typeof claims.hd === 'string' && domains.includes(claims.hd.toLowerCase())) return true;
  const domain = claims.email_verified === true ? emailDomain(claims.email) : undefined;
  return domain !== undefined && domains.includes(domain);
}

/**
 * Who the person is here (SMART app-launch.md `fhirUser`): the provider's `fhirUserClaim` when configured
 * (a relative reference, else nobody), otherwise the users[] entry linked to this provider and `sub`
 * (OIDC Core §2: `sub` is unique only together with `iss`, hence per provider).
 */
export function mappedFhirUser(claims: UpstreamClaims, provider: IdentityProviderConfig, users: readonly UserConfig[]): string | undefined {
  if (provider.fhirUserClaim !== undefined) {
    const value = claims[provider.fhirUserClaim];
    return typeof value === 'string' && FHIR_USER.test(value) ? value : undefined;
  }
  return users.find((u) => u.upstream?.provider === provider.id && u.upstream.sub === claims.sub)?.fhirUser;
}

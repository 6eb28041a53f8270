import { Inject, Injectable, Logger } from '@nestjs/common';
import { type CryptoKey, importJWK } from 'jose';
import * as oidc from 'openid-client';
import { APP_CONFIG, type AppConfig, type IdentityProviderConfig } from '../../config/app-config.js';
import { TemporarilyUnavailable } from '../../http/app-error.js';
import { SignInRefused } from './sign-in-errors.js';
import { isAllowedDomain, mappedFhirUser, type UpstreamClaims } from './upstream-checks.js';
import type { UpstreamState } from './sign-ins.repository.js';

/** Where every upstream provider sends the browser back (registered there as the redirect URI). */
export function upstreamCallbackUrl(config: Pick<AppConfig, 'publicUrl'>): string {
  return `${config.publicUrl}/auth/sign-in/callback`;
}

/**
 * Hookwarden as an OpenID relying party of the hospital's providers (OIDC Core §3.1, authorization code
 * flow) with openid-client: discovery of the issuer, PKCE (RFC 7636), `state` and `nonce`, the `iss`
 * authorization-response parameter (RFC 9207 §2.4), and id_token validation (iss, aud, nonce, exp;
 * OIDC Core §3.1.3.7).
 */
@Injectable()
export class UpstreamSignIn {
  private readonly logger = new Logger('UpstreamSignIn');
  private readonly discovered = new Map<string, Promise<oidc.Configuration>>();

  constructor(@Inject(APP_CONFIG) private readonly config: AppConfig) {}

  /** The provider `id` names, if configured. */
  provider(id: unknown): IdentityProviderConfig | undefined {
    return this.config.identityProviders.find((p) => p.id === id);
  }

  /** The authorization URL to send the browser to, and what the callback must check. */
  async start(provider: IdentityProviderConfig): Promise<{ url: string; upstream: UpstreamState }> {
    const config = await this.configuration(provider);
    const upstream: UpstreamState = { provider: provider.id, state: oidc.randomState(), nonce: oidc.randomNonce(), codeVerifier: oidc.randomPKCECodeVerifier() };
    const url = oidc.buildAuthorizationUrl(config, {
      redirect_uri: upstreamCallbackUrl(this.config),
      scope: provider.scopes.join(' '),
      state: upstream.state,
      nonce: upstream.nonce,
      code_challenge: await oidc.calculatePKCECodeChallenge(upstream.codeVerifier),
      code_challenge_method: 'S256',
    });
    return { url: url.href, upstream };
  }

  /** The callback: redeems the code, validates the id_token, and says who the person is here. */
  async finish(upstream: UpstreamState, callbackUrl: URL): Promise<{ fhirUser: string; issuer: string }> {
    const provider = this.provider(upstream.provider);
    if (!provider) throw new SignInRefused('that sign-in provider is no longer configured');
    const config = await this.configuration(provider);
    let claims: UpstreamClaims;
    try {
      const tokens = await oidc.authorizationCodeGrant(config, callbackUrl, {
        pkceCodeVerifier: upstream.codeVerifier,
        expectedState: upstream.state,
        expectedNonce: upstream.nonce,
        idTokenExpected: true,
      });
      claims = tokens.claims() as UpstreamClaims;
    } catch (e) {
      // The reason goes to the log (it may name the provider's error); the page says only that it failed.
      this.logger.warn(`sign-in at ${provider.id} refused: ${(e as Error).name}: ${(e as Error).message}`);
      throw new SignInRefused(`Signing in with ${provider.displayName} did not succeed. Try again.`);
    }
    if (!isAllowedDomain(claims, provider.allowedDomains)) throw new SignInRefused(`This ${provider.displayName} account may not sign in here.`);
    const fhirUser = mappedFhirUser(claims, provider, this.config.users);
    if (!fhirUser) throw new SignInRefused(`This ${provider.displayName} account is not linked to a user of this server.`);
    return { fhirUser, issuer: provider.issuer };
  }

  /** OIDC Discovery 1.0 §4, once per provider (again after a failure). */
  private configuration(provider: IdentityProviderConfig): Promise<oidc.Configuration> {
    let found = this.discovered.get(provider.id);
    if (!found) {
      found = this.discover(provider);
      found.catch(() => this.discovered.delete(provider.id));
      this.discovered.set(provider.id, found);
    }
    return found;
  }

  private async discover(provider: IdentityProviderConfig): Promise<oidc.Configuration> {
    const auth =
      provider.clientAuth === 'client_secret_basic'
        ? oidc.ClientSecretBasic(provider.clientSecret)
        : oidc.PrivateKeyJwt({ key: (await importJWK(provider.privateKeyJwk!, provider.privateKeyJwk!.alg ?? 'ES256')) as CryptoKey, kid: provider.privateKeyJwk!.kid });
    try {
      // The schema allows http only on loopback.
      const options = provider.issuer.startsWith('http:') ? { execute: [oidc.allowInsecureRequests] } : undefined;
      return await oidc.discovery(new URL(provider.issuer), provider.clientId, undefined, auth, options);
    } catch (e) {
      this.logger.warn(`discovery of ${provider.issuer} failed: ${(e as Error).message}`);
      throw new TemporarilyUnavailable(`${provider.displayName} cannot be reached right now. Try again shortly.`);
    }
  }
}

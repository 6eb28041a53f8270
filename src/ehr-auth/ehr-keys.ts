import { Inject, Injectable } from '@nestjs/common';
import type { CryptoKey, JSONWebKeySet, JWSHeaderParameters } from 'jose';
import type { EhrConfig } from '../config/app-config.js';
import { fetchJwks, JwksCache } from '../http/jwks-cache.js';

/** Timing of the remote JWKS cache (best practices step 5: "a rotating cache of the client's JWKS"). */
export interface JwksCacheOptions {
  /** How long fetched keys are used before the set is fetched again; an old key dies with it. */
  cacheMaxAgeMs: number;
  /** Minimum time between fetches, so unknown `kid`s or a JWKS endpoint that is down cannot make us hammer the EHR (N8). */
  cooldownMs: number;
  /** Time limit of one JWKS fetch. */
  timeoutMs: number;
}

/** Injection token for JwksCacheOptions; tests shorten the lifetimes. */
export const JWKS_CACHE_OPTIONS = Symbol('JWKS_CACHE_OPTIONS');

export const DEFAULT_JWKS_CACHE: JwksCacheOptions = { cacheMaxAgeMs: 10 * 60_000, cooldownMs: 30_000, timeoutMs: 5_000 };

/**
 * The keys of each trusted EHR. A pinned `jwks` is used as is and nothing is fetched; otherwise the
 * issuer's configured `jwksUrl` (never a URL from a token) is fetched through a cached, rate-limited
 * set whose lifetime is ours, whatever the EHR's Cache-Control says.
 */
@Injectable()
export class EhrKeys {
  private readonly sets = new Map<string, JwksCache>();
  private readonly options: JwksCacheOptions;

  constructor(@Inject(JWKS_CACHE_OPTIONS) options: Partial<JwksCacheOptions>) {
    this.options = { ...DEFAULT_JWKS_CACHE, ...options };
  }

  /**
   * The public key for `header` (its `alg` and `kid`); rejects when none matches. The WebCrypto key
   * jose imported once per JWK, so a request costs no key parsing.
   */
  keyFor(ehr: EhrConfig, header: JWSHeaderParameters): Promise<CryptoKey> {
    return this.setFor(ehr).key(header);
  }

  private setFor(ehr: EhrConfig): JwksCache {
    let set = this.sets.get(ehr.issuer);
    if (!set) {
      const { cacheMaxAgeMs, cooldownMs, timeoutMs } = this.options;
      set = ehr.jwks
        ? JwksCache.pinned(ehr.jwks as JSONWebKeySet)
        : new JwksCache(async () => ({ jwks: (await fetchJwks(ehr.jwksUrl as string, timeoutMs)).jwks }), { maxAgeMs: cacheMaxAgeMs, cooldownMs });
      this.sets.set(ehr.issuer, set);
    }
    return set;
  }
}

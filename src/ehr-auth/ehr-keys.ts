import { KeyObject } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { createLocalJWKSet, createRemoteJWKSet, errors, type CryptoKey, type JSONWebKeySet, type JWSHeaderParameters } from 'jose';
import type { EhrConfig } from '../config/app-config.js';

/** Timing of the remote JWKS cache (best practices step 5: "a rotating cache of the client's JWKS"). */
export interface JwksCacheOptions {
  /** How long fetched keys are used before the set is fetched again; an old key dies with it. */
  cacheMaxAgeMs: number;
  /** Minimum time between fetches, so unknown `kid`s cannot make us hammer the EHR (N8). */
  cooldownMs: number;
  /** Time limit of one JWKS fetch. */
  timeoutMs: number;
}

type KeySet = (header: JWSHeaderParameters) => Promise<CryptoKey>;

/** Injection token for JwksCacheOptions; tests shorten the lifetimes. */
export const JWKS_CACHE_OPTIONS = Symbol('JWKS_CACHE_OPTIONS');

export const DEFAULT_JWKS_CACHE: JwksCacheOptions = { cacheMaxAgeMs: 10 * 60_000, cooldownMs: 30_000, timeoutMs: 5_000 };

/**
 * The keys of each trusted EHR. A pinned `jwks` is used as is and nothing is fetched; otherwise the
 * issuer's configured `jwksUrl` (never a URL from a token) is fetched through a cached, rate-limited set.
 */
@Injectable()
export class EhrKeys {
  private readonly sets = new Map<string, KeySet>();
  /** When each issuer's JWKS fetch last failed (epoch ms). */
  private readonly failedAt = new Map<string, number>();
  private readonly options: JwksCacheOptions;

  constructor(@Inject(JWKS_CACHE_OPTIONS) options: Partial<JwksCacheOptions>) {
    this.options = { ...DEFAULT_JWKS_CACHE, ...options };
  }

  /** The public key for `header` (its `alg` and `kid`), as a node KeyObject; rejects when none matches. */
  async keyFor(ehr: EhrConfig, header: JWSHeaderParameters): Promise<KeyObject> {
    const failed = this.failedAt.get(ehr.issuer);
    if (failed !== undefined && Date.now() - failed < this.options.cooldownMs) throw new errors.JWKSNoMatchingKey();
    try {
      return KeyObject.from(await this.setFor(ehr)(header));
    } catch (e) {
      // jose records no time for a failed fetch, so without this an EHR whose JWKS endpoint is down
      // would be fetched once per incoming token; the cooldown applies to failures too.
      if (!ehr.jwks && !(e instanceof errors.JWKSNoMatchingKey) && !(e instanceof errors.JWKSMultipleMatchingKeys)) {
        this.failedAt.set(ehr.issuer, Date.now());
      }
      throw e;
    }
  }

  private setFor(ehr: EhrConfig): KeySet {
    let set = this.sets.get(ehr.issuer);
    if (!set) {
      set = ehr.jwks
        ? createLocalJWKSet(ehr.jwks as JSONWebKeySet)
        : createRemoteJWKSet(new URL(ehr.jwksUrl as string), {
            cacheMaxAge: this.options.cacheMaxAgeMs,
            cooldownDuration: this.options.cooldownMs,
            timeoutDuration: this.options.timeoutMs,
          });
      this.sets.set(ehr.issuer, set);
    }
    return set;
  }
}

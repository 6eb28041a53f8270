import { createLocalJWKSet, type CryptoKey, errors, type JSONWebKeySet, type JWSHeaderParameters } from 'jose';

/** A JWK Set as loaded, and how long it may be used. */
export interface LoadedKeySet {
  jwks: JSONWebKeySet;
  /** How long this set may be used (e.g. its Cache-Control max-age); absent: the cache's `maxAgeMs`. */
  maxAgeMs?: number;
}

/** When a JwksCache loads its set again. */
export interface JwksCacheTiming {
  /** How long a loaded set is used when the load names no max age; after it, the set is loaded before use. */
  maxAgeMs: number;
  /**
   * Least time between loads for a `kid` the set lacks, and before retrying a failed load, so unknown
   * `kid`s or a source that is down cannot make us load once per token (CDS best practices, N8).
   */
  cooldownMs: number;
}

/**
 * The one JWKS cache behind every signature we verify: our own signing keys, EHR key sets and
 * SMART client key sets, pinned or fetched. A key is chosen by jose's JWK Set rules (`kid`, `kty`
 * and `crv` for the `alg`, `use`), and exactly one key must match (SMART J6).
 */
export class JwksCache {
  private local?: ReturnType<typeof createLocalJWKSet>;
  private freshUntil = -Infinity;
  private lastLoad = -Infinity;
  private lastLoadFailed = false;
  private pending?: Promise<void>;

  constructor(
    private readonly load: () => Promise<LoadedKeySet>,
    private readonly timing: JwksCacheTiming,
  ) {}

  /** A configured JWK Set: used as is, never reloaded, nothing fetched. */
  static pinned(jwks: JSONWebKeySet): JwksCache {
    return new JwksCache(async () => ({ jwks }), { maxAgeMs: Infinity, cooldownMs: Infinity });
  }

  /** The one key for `header`; rejects when none or several match, or when the set cannot be had. */
  async key(header: JWSHeaderParameters): Promise<CryptoKey> {
    if (!this.local || Date.now() >= this.freshUntil) await this.reload();
    try {
      return await this.local!(header);
    } catch (e) {
      // A rotated-in key: load once more, unless we just did.
      if (!(e instanceof errors.JWKSNoMatchingKey) || Date.now() - this.lastLoad < this.timing.cooldownMs) throw e;
      await this.reload();
      return this.local!(header);
    }
  }

  private async reload(): Promise<void> {
    if (this.lastLoadFailed && Date.now() - this.lastLoad < this.timing.cooldownMs) throw new errors.JWKSNoMatchingKey();
    this.pending ??= this.loadNow().finally(() => {
      this.pending = undefined;
    });
    await this.pending;
  }

  private async loadNow(): Promise<void> {
    const at = Date.now();
    this.lastLoad = at;
    try {
      const loaded = await this.load();
      this.local = createLocalJWKSet(loaded.jwks);
      this.freshUntil = at + (loaded.maxAgeMs ?? this.timing.maxAgeMs);
      this.lastLoadFailed = false;
    } catch (e) {
      this.lastLoadFailed = true;
      throw e;
    }
  }
}

/** Seconds from a Cache-Control header's max-age; absent → 0 (SMART: "SHALL NOT cache ... longer than ... indicates"). */
export function maxAgeSeconds(cacheControl: string | null): number {
  const m = /(?:^|,)\s*max-age=(\d+)/i.exec(cacheControl ?? '');
  return m && !/no-store|no-cache/i.test(cacheControl ?? '') ? Number(m[1]) : 0;
}

/**
 * Fetches a JWK Set from a configured URL (never one taken from a token): `Accept: application/json`,
 * a time limit, no redirects, 200 only; its max age is the response's Cache-Control max-age.
 */
export async function fetchJwks(url: string, timeoutMs: number): Promise<LoadedKeySet> {
  const res = await fetch(url, { headers: { Accept: 'application/json' }, redirect: 'manual', signal: AbortSignal.timeout(timeoutMs) });
  if (res.status !== 200) throw new Error(`JWKS endpoint answered ${res.status}`);
  return { jwks: (await res.json()) as JSONWebKeySet, maxAgeMs: maxAgeSeconds(res.headers.get('cache-control')) * 1000 };
}

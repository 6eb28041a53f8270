import { exportJWK, generateKeyPair, type JSONWebKeySet, type JWK } from 'jose';
import { JwksCache, type LoadedKeySet, maxAgeSeconds } from './jwks-cache.js';

async function publicJwk(alg: 'RS384' | 'ES384', kid: string): Promise<JWK> {
  const { publicKey } = await generateKeyPair(alg, { extractable: true });
  return { ...(await exportJWK(publicKey)), kid };
}

/** A JwksCache over a source whose set the test can change, counting the loads. */
function counting(initial: JSONWebKeySet, timing = { maxAgeMs: 120_000, cooldownMs: 30_000 }) {
  const source = { jwks: initial, loads: 0, fail: false, maxAgeMs: undefined as number | undefined };
  const cache = new JwksCache(async (): Promise<LoadedKeySet> => {
    source.loads += 1;
    if (source.fail) throw new Error('JWKS endpoint answered 503');
    return { jwks: source.jwks, maxAgeMs: source.maxAgeMs };
  }, timing);
  return { source, cache };
}

describe(JwksCache.name, () => {
  const start = Date.parse('2026-11-23T10:00:00Z');
  let rsa: JWK;
  let ec: JWK;
  let ecOther: JWK;
  beforeAll(async () => {
    [rsa, ec, ecOther] = await Promise.all([publicJwk('RS384', 'a'), publicJwk('ES384', 'a'), publicJwk('ES384', 'b')]);
  });
  beforeEach(() => {
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(start);
  });
  afterEach(() => vi.useRealTimers());

  it('J6 picks exactly one key with the kid and a kty fitting the alg; none or several → rejected', async () => {
    const set = JwksCache.pinned({ keys: [rsa, ec] });
    expect((await set.key({ alg: 'ES384', kid: 'a' })).algorithm).toMatchObject({ name: 'ECDSA' });
    expect((await set.key({ alg: 'RS384', kid: 'a' })).algorithm).toMatchObject({ name: 'RSASSA-PKCS1-v1_5' });
    await expect(JwksCache.pinned({ keys: [rsa] }).key({ alg: 'ES384', kid: 'a' })).rejects.toThrow('no applicable key found');
    await expect(JwksCache.pinned({ keys: [ec, { ...ec }] }).key({ alg: 'ES384', kid: 'a' })).rejects.toThrow('multiple matching keys');
    await expect(set.key({ alg: 'ES384', kid: 'b' })).rejects.toThrow('no applicable key found');
  });

  it('never accepts a symmetric alg, whatever the set holds', async () => {
    await expect(JwksCache.pinned({ keys: [ec] }).key({ alg: 'HS256', kid: 'a' })).rejects.toThrow('Unsupported "alg" value');
  });

  it('a pinned set is used as is: an unknown kid loads nothing', async () => {
    const { source, cache } = counting({ keys: [ec] }, { maxAgeMs: Infinity, cooldownMs: Infinity });
    await cache.key({ alg: 'ES384', kid: 'a' });
    await expect(cache.key({ alg: 'ES384', kid: 'b' })).rejects.toThrow('no applicable key found');
    expect(source.loads).toBe(1);
  });

  it('N8 an unknown kid loads the set again once per cooldown; a rotated-in key is then found', async () => {
    const { source, cache } = counting({ keys: [ec] });
    await cache.key({ alg: 'ES384', kid: 'a' });
    await expect(cache.key({ alg: 'ES384', kid: 'b' })).rejects.toThrow('no applicable key found');
    expect(source.loads).toBe(1);
    vi.setSystemTime(start + 31_000);
    await expect(cache.key({ alg: 'ES384', kid: 'b' })).rejects.toThrow('no applicable key found');
    expect(source.loads).toBe(2);
    source.jwks = { keys: [ec, ecOther] };
    vi.setSystemTime(start + 40_000);
    await expect(cache.key({ alg: 'ES384', kid: 'b' })).rejects.toThrow('no applicable key found');
    expect(source.loads).toBe(2);
    vi.setSystemTime(start + 62_000);
    await cache.key({ alg: 'ES384', kid: 'b' });
    expect(source.loads).toBe(3);
  });

  it('a set older than its max age is loaded again before use, so a removed key stops working', async () => {
    const { source, cache } = counting({ keys: [ec] });
    await cache.key({ alg: 'ES384', kid: 'a' });
    source.jwks = { keys: [ecOther] };
    vi.setSystemTime(start + 119_000);
    await cache.key({ alg: 'ES384', kid: 'a' });
    expect(source.loads).toBe(1);
    vi.setSystemTime(start + 120_000);
    await expect(cache.key({ alg: 'ES384', kid: 'a' })).rejects.toThrow('no applicable key found');
    expect(source.loads).toBe(2);
  });

  it('J9 the max age a load reports wins: 0 loads before every use', async () => {
    const { source, cache } = counting({ keys: [ec] });
    source.maxAgeMs = 0;
    await cache.key({ alg: 'ES384', kid: 'a' });
    await cache.key({ alg: 'ES384', kid: 'a' });
    expect(source.loads).toBe(2);
  });

  it('a failed load is not retried within the cooldown, then recovers', async () => {
    const { source, cache } = counting({ keys: [ec] });
    source.fail = true;
    await expect(cache.key({ alg: 'ES384', kid: 'a' })).rejects.toThrow('503');
    await expect(cache.key({ alg: 'ES384', kid: 'a' })).rejects.toThrow('no applicable key found');
    expect(source.loads).toBe(1);
    source.fail = false;
    vi.setSystemTime(start + 30_000);
    await cache.key({ alg: 'ES384', kid: 'a' });
    expect(source.loads).toBe(2);
  });

  it('concurrent callers share one load', async () => {
    const { source, cache } = counting({ keys: [ec] });
    await Promise.all([cache.key({ alg: 'ES384', kid: 'a' }), cache.key({ alg: 'ES384', kid: 'a' })]);
    expect(source.loads).toBe(1);
  });
});

describe('maxAgeSeconds', () => {
  it('J9 honours max-age, never caches no-store/no-cache or without a header', () => {
    expect(maxAgeSeconds('public, max-age=300')).toBe(300);
    expect(maxAgeSeconds('max-age=0')).toBe(0);
    expect(maxAgeSeconds('no-store, max-age=300')).toBe(0);
    expect(maxAgeSeconds(null)).toBe(0);
  });
});

import { KeyObject } from 'node:crypto';
import { CDS_HOOKS_SANDBOX_EHR } from '../config/sandbox-profile.js';
import { checkUnverifiedJwt } from './jwt-checks.js';
import { DEFAULT_JWKS_CACHE, EhrKeys } from './ehr-keys.js';

const SANDBOX_HEADER = {
  alg: 'ES384',
  typ: 'JWT',
  kid: '44823f3d-0b01-4a6c-a80e-b9d3e8a7226f',
  jku: 'https://sandbox.cds-hooks.org/.well-known/jwks.json',
};

describe('EhrKeys', () => {
  afterEach(() => vi.restoreAllMocks());

  it('hands out the same imported key for every token of one kid (no parse per request)', async () => {
    const keys = new EhrKeys(DEFAULT_JWKS_CACHE);
    expect(await keys.keyFor(CDS_HOOKS_SANDBOX_EHR, SANDBOX_HEADER)).toBe(await keys.keyFor(CDS_HOOKS_SANDBOX_EHR, SANDBOX_HEADER));
  });

  it('resolves a sandbox-shaped JWT (ES384, kid 44823f3d-…, jku) from the pinned set without any fetch', async () => {
    const fetchSpy = vi.spyOn(globalThis, 'fetch');
    const now = Date.parse('2026-11-23T10:00:00Z');
    const aud = 'http://localhost:3000/cds-services/medication-safety';
    const claims = { iss: 'https://sandbox.cds-hooks.org', aud, iat: now / 1000, exp: now / 1000 + 300, jti: 'a' };
    expect(checkUnverifiedJwt(SANDBOX_HEADER, claims, { ehrs: [CDS_HOOKS_SANDBOX_EHR], audience: aud, now })).toEqual({
      ok: true,
      ehr: CDS_HOOKS_SANDBOX_EHR,
    });
    const key = await new EhrKeys(DEFAULT_JWKS_CACHE).keyFor(CDS_HOOKS_SANDBOX_EHR, SANDBOX_HEADER);
    expect(key.algorithm).toMatchObject({ name: 'ECDSA', namedCurve: 'P-384' });
    expect(KeyObject.from(key).export({ format: 'jwk' })).toMatchObject({ crv: 'P-384', x: CDS_HOOKS_SANDBOX_EHR.jwks?.keys[0]?.x });
    expect(fetchSpy).not.toHaveBeenCalled();
  });

  it('refuses an unknown kid or a mismatched alg from a pinned set without fetching', async () => {
    const fetchSpy = vi.spyOn(globalThis, 'fetch');
    const keys = new EhrKeys(DEFAULT_JWKS_CACHE);
    await expect(keys.keyFor(CDS_HOOKS_SANDBOX_EHR, { ...SANDBOX_HEADER, kid: 'other' })).rejects.toThrow('no applicable key found');
    await expect(keys.keyFor(CDS_HOOKS_SANDBOX_EHR, { ...SANDBOX_HEADER, alg: 'RS384' })).rejects.toThrow('no applicable key found');
    expect(fetchSpy).not.toHaveBeenCalled();
  });
});

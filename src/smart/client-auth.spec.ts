import { maxAgeSeconds, parseBasic, selectKey } from './client-auth.js';

describe('client authentication helpers', () => {
  it('parseBasic decodes form-urlencoded id and secret (RFC 6749 §2.3.1)', () => {
    const header = `Basic ${Buffer.from('my%20app:s%3Acret').toString('base64')}`;
    expect(parseBasic(header)).toEqual({ id: 'my app', secret: 's:cret' });
    expect(parseBasic('Bearer abc')).toBeUndefined();
    expect(parseBasic(`Basic ${Buffer.from('no-colon').toString('base64')}`)).toBeUndefined();
  });

  it('J6 selectKey: exactly one key with the kid and a kty fitting the alg', () => {
    const rsa = { kty: 'RSA', kid: 'a' };
    const ec = { kty: 'EC', kid: 'a' };
    expect(selectKey([rsa, ec], 'a', 'ES384')).toBe(ec);
    expect(selectKey([rsa, ec], 'a', 'RS384')).toBe(rsa);
    expect(selectKey([rsa], 'a', 'ES384')).toBeUndefined();
    expect(selectKey([ec, { ...ec }], 'a', 'ES384')).toBeUndefined();
    expect(selectKey([ec], 'b', 'ES384')).toBeUndefined();
  });

  it('J9 maxAgeSeconds: honours max-age, never caches no-store/no-cache or without a header', () => {
    expect(maxAgeSeconds('public, max-age=300')).toBe(300);
    expect(maxAgeSeconds('max-age=0')).toBe(0);
    expect(maxAgeSeconds('no-store, max-age=300')).toBe(0);
    expect(maxAgeSeconds(null)).toBe(0);
  });
});

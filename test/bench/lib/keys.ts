import { createPrivateKey, generateKeyPairSync, type JsonWebKey, type KeyObject, randomUUID, sign } from 'node:crypto';

export type Alg = 'ES384' | 'RS384';

/** A signing key as JWKs, so it crosses process boundaries (IPC, config files) unchanged. */
export interface BenchKey {
  alg: Alg;
  kid: string;
  privateJwk: JsonWebKey;
  publicJwk: JsonWebKey;
}

export function makeKey(alg: Alg): BenchKey {
  const { privateKey, publicKey } = alg === 'ES384' ? generateKeyPairSync('ec', { namedCurve: 'P-384' }) : generateKeyPairSync('rsa', { modulusLength: 2048 });
  const kid = randomUUID();
  return { alg, kid, privateJwk: privateKey.export({ format: 'jwk' }), publicJwk: { ...publicKey.export({ format: 'jwk' }), kid, alg, use: 'sig' } };
}

/**
 * A compact JWS signer for one key: synchronous node:crypto, so a load process can pre-sign a pool
 * of tens of thousands of tokens in a tight loop.
 */
export function jwtSigner(key: BenchKey): (claims: Record<string, unknown>) => string {
  const keyObject: KeyObject = createPrivateKey({ key: key.privateJwk, format: 'jwk' });
  const header = Buffer.from(JSON.stringify({ alg: key.alg, typ: 'JWT', kid: key.kid })).toString('base64url');
  // JWS ES384 wants the raw r||s signature (RFC 7518 §3.4), not DER.
  const options = key.alg === 'ES384' ? { key: keyObject, dsaEncoding: 'ieee-p1363' as const } : keyObject;
  return (claims) => {
    const input = `${header}.${Buffer.from(JSON.stringify(claims)).toString('base64url')}`;
    return `${input}.${sign('sha384', Buffer.from(input), options).toString('base64url')}`;
  };
}

/** CDS Hooks §Trusting CDS Clients: `aud` = the exact URL called, a fresh `jti`, `exp` = `iat` + 300 s. */
export function ehrClaims(iss: string, aud: string): Record<string, unknown> {
  const iat = Math.floor(Date.now() / 1000);
  return { iss, aud, iat, exp: iat + 300, jti: randomUUID() };
}

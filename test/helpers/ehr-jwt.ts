import { randomUUID } from 'node:crypto';
import { exportJWK, generateKeyPair, SignJWT, type CryptoKey, type JWK } from 'jose';
import type { EhrConfig } from '../../src/config/app-config.js';

export interface TestEhr {
  issuer: string;
  kid: string;
  alg: 'ES384' | 'RS384';
  privateKey: CryptoKey;
  publicJwk: JWK;
  /** The `ehrs[]` entry trusting this EHR with a pinned JWKS. */
  config(extra?: Partial<EhrConfig>): Record<string, unknown>;
  /** A CDS Hooks client JWT (§Trusting CDS Clients) for `aud`; claims/header can be overridden. */
  sign(aud: string | string[], claims?: Record<string, unknown>, header?: Record<string, unknown>): Promise<string>;
}

/** A test EHR with its own key pair, signing exactly like the CDS Hooks sandbox does on the wire. */
export async function makeTestEhr(opts: { issuer?: string; alg?: 'ES384' | 'RS384'; kid?: string } = {}): Promise<TestEhr> {
  const alg = opts.alg ?? 'ES384';
  const issuer = opts.issuer ?? `https://ehr-${randomUUID().slice(0, 8)}.test`;
  const kid = opts.kid ?? randomUUID();
  const { privateKey, publicKey } = await generateKeyPair(alg, { extractable: true });
  const publicJwk = { ...(await exportJWK(publicKey)), kid, alg, use: 'sig' };
  return {
    issuer,
    kid,
    alg,
    privateKey,
    publicJwk,
    config: (extra = {}) => ({ issuer, jwks: { keys: [publicJwk] }, algorithms: ['ES384', 'RS384'], ...extra }),
    async sign(aud, claims = {}, header = {}) {
      const now = Math.floor(Date.now() / 1000);
      return new SignJWT({ iss: issuer, aud, iat: now, exp: now + 300, jti: randomUUID(), ...claims })
        .setProtectedHeader({ alg, typ: 'JWT', kid, ...header })
        .sign(privateKey);
    },
  };
}

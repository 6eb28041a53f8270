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

function b64url(value: unknown): string {
  return Buffer.from(JSON.stringify(value)).toString('base64url');
}

/** An `alg: none` token (N3): header and claims as given, empty signature. */
export function unsignedJwt(claims: Record<string, unknown>, header: Record<string, unknown> = {}): string {
  return `${b64url({ alg: 'none', typ: 'JWT', ...header })}.${b64url(claims)}.`;
}

/** An HS256 token keyed with `secret` (N3: the classic "public key as HMAC secret" confusion). */
export async function hs256Jwt(secret: string, claims: Record<string, unknown>, header: Record<string, unknown> = {}): Promise<string> {
  return new SignJWT(claims).setProtectedHeader({ alg: 'HS256', typ: 'JWT', ...header }).sign(new TextEncoder().encode(secret));
}

/** Standard valid claims for `ehr` and `aud` (iat now, exp +300 s, fresh jti); override as needed. */
export function validClaims(ehr: Pick<TestEhr, 'issuer'>, aud: string | string[], extra: Record<string, unknown> = {}): Record<string, unknown> {
  const now = Math.floor(Date.now() / 1000);
  return { iss: ehr.issuer, aud, iat: now, exp: now + 300, jti: randomUUID(), ...extra };
}

import { generateKeyPairSync, randomBytes, scryptSync } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { EhrConfig, UserConfig } from './config.schema.js';

export const DEMO_EHR_ISSUER = 'https://demo-ehr.hookwarden.local';
export const DEMO_EHR_KEY_FILE = 'demo-ehr-key.json';

export interface DemoEhrKey {
  issuer: string;
  /** Private JWK (ES384); only the demo EHR simulator reads it. */
  privateJwk: Record<string, unknown> & { kid: string };
  publicJwk: Record<string, unknown> & { kid: string };
}

/**
 * Demo mode (DESIGN.md): the first start generates an ES384 key pair for a simulated EHR in
 * DATA_DIR and trusts it, so `npm start` works on a fresh machine and `npm run ehr` can sign calls.
 */
export function ensureDemoEhrKey(dataDir: string): DemoEhrKey {
  const file = join(dataDir, DEMO_EHR_KEY_FILE);
  if (existsSync(file)) return JSON.parse(readFileSync(file, 'utf8')) as DemoEhrKey;
  const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-384' });
  const kid = randomBytes(8).toString('hex');
  const key: DemoEhrKey = {
    issuer: DEMO_EHR_ISSUER,
    privateJwk: { ...privateKey.export({ format: 'jwk' }), kid, alg: 'ES384', use: 'sig' },
    publicJwk: { ...publicKey.export({ format: 'jwk' }), kid, alg: 'ES384', use: 'sig' },
  };
  mkdirSync(dataDir, { recursive: true });
  writeFileSync(file, JSON.stringify(key, null, 2), { mode: 0o600 });
  return key;
}

export function demoEhr(key: DemoEhrKey): EhrConfig {
  return {
    issuer: key.issuer,
    jwks: { keys: [key.publicJwk as { kty: string; kid: string }] },
    algorithms: ['ES384'],
    fhirServers: [],
  };
}

/** Scrypt parameters shared with smart/passwords.ts: N=2^15, r=8, p=1 (OWASP minimum). */
export function hashPasswordSync(password: string): string {
  const salt = randomBytes(16);
  const hash = scryptSync(password, salt, 32, { N: 32768, r: 8, p: 1, maxmem: 64 * 1024 * 1024 });
  return `scrypt$32768$8$1$${salt.toString('base64url')}$${hash.toString('base64url')}`;
}

/** The demo users (password `demo`) who sign in at the standalone launch; nothing reads their roles yet. */
export function demoUsers(): UserConfig[] {
  const hash = hashPasswordSync('demo');
  return [
    { username: 'dr.demo', passwordHash: hash, fhirUser: 'Practitioner/demo-practitioner', roles: ['clinician', 'analyst'] },
    { username: 'owner.demo', passwordHash: hash, fhirUser: 'Practitioner/demo-owner', roles: ['analyst', 'admin'] },
  ];
}

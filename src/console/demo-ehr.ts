import { randomUUID } from 'node:crypto';
import { existsSync, readdirSync } from 'node:fs';
import { basename, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { decodeJwt, decodeProtectedHeader, importJWK, SignJWT } from 'jose';
import type { DemoEhrKey } from '../config/demo.js';

/**
 * The demo EHR: a CDS client that behaves on the wire like the CDS Hooks sandbox (cds-hooks.md §4),
 * an ES384 JWT per call with `aud` = the exact URL called, a fresh `jti`, `exp` = `iat` + 300 s. The
 * demo console and `npm run ehr` both call through it.
 */

/** The medication-safety scenarios (CDS request bodies), shipped beside the service. */
export const SCENARIO_DIR = fileURLToPath(new URL('../../hooks/medication-safety/fixtures/', import.meta.url));

/** A CDS Hooks client JWT (§Trusting CDS Clients) signed with the demo EHR key for `aud`. */
export async function signClientJwt(key: DemoEhrKey, aud: string, now = Date.now()): Promise<string> {
  const iat = Math.floor(now / 1000);
  return new SignJWT({ iss: key.issuer, aud, iat, exp: iat + 300, jti: randomUUID() })
    .setProtectedHeader({ alg: 'ES384', typ: 'JWT', kid: key.privateJwk.kid })
    .sign(await importJWK(key.privateJwk, 'ES384'));
}

/** Every `*.json` under `dir`, by scenario name (file name without `.json`), sorted. */
export function listScenarios(dir = SCENARIO_DIR): Map<string, string> {
  const found = new Map<string, string>();
  if (!existsSync(dir)) return found;
  for (const entry of readdirSync(dir, { withFileTypes: true, recursive: true })) {
    if (entry.isFile() && entry.name.endsWith('.json')) found.set(basename(entry.name, '.json'), join(entry.parentPath, entry.name));
  }
  return new Map([...found].sort(([a], [b]) => a.localeCompare(b)));
}

/** One call as the EHR made it and what came back, for showing side by side. */
export interface EhrExchange {
  request: { method: 'GET' | 'POST'; url: string; jwt: { header: unknown; claims: unknown }; body?: unknown };
  response: { status: number; body: unknown };
}

/** Calls `base + path` as the demo EHR would: Bearer JWT with `aud` = that URL. */
export async function callAsEhr(key: DemoEhrKey, base: string, path: string, body?: unknown, timeoutMs = 15_000): Promise<EhrExchange> {
  const url = `${base.replace(/\/+$/, '')}${path}`;
  const jwt = await signClientJwt(key, url);
  const method = body === undefined ? 'GET' : 'POST';
  const res = await fetch(url, {
    method,
    headers: {
      authorization: `Bearer ${jwt}`,
      accept: 'application/json',
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
    },
    body: body === undefined ? undefined : JSON.stringify(body),
    signal: AbortSignal.timeout(timeoutMs),
  });
  const text = await res.text();
  let parsed: unknown = text;
  try {
    parsed = JSON.parse(text);
  } catch {
    // Not JSON: shown as text.
  }
  return {
    request: { method, url, jwt: { header: decodeProtectedHeader(jwt), claims: decodeJwt(jwt) }, ...(body === undefined ? {} : { body }) },
    response: { status: res.status, body: parsed },
  };
}

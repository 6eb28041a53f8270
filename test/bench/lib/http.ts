import { randomUUID } from 'node:crypto';
import { type BenchKey, ehrClaims, jwtSigner } from './keys.js';

/** One request outside the timed windows (probes and set-up); fails loudly unless it is 2xx. */
export async function expectOk(url: string, init: RequestInit = {}): Promise<unknown> {
  const res = await fetch(url, { ...init, signal: AbortSignal.timeout(30_000) });
  const text = await res.text();
  if (!res.ok) throw new Error(`${init.method ?? 'GET'} ${url} answered ${res.status}: ${text.slice(0, 500)}`);
  return text ? JSON.parse(text) : undefined;
}

/** A call as the EHR makes it: a fresh JWT with `aud` = the URL called, a JSON body when given. */
export function asEhr(url: string, ehr: { issuer: string; key: BenchKey }, body?: string): Promise<unknown> {
  const token = jwtSigner(ehr.key)(ehrClaims(ehr.issuer, url));
  return expectOk(url, {
    method: body === undefined ? 'GET' : 'POST',
    headers: { authorization: `Bearer ${token}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
    body,
  });
}

/** SMART backend services: client_credentials with a private_key_jwt assertion (client-confidential-asymmetric.md). */
export async function backendAccessToken(base: string, client: { clientId: string; scope: string; key: BenchKey }): Promise<string> {
  const tokenUrl = `${base}/auth/token`;
  const now = Math.floor(Date.now() / 1000);
  const assertion = jwtSigner(client.key)({ iss: client.clientId, sub: client.clientId, aud: tokenUrl, exp: now + 240, jti: randomUUID() });
  const form = new URLSearchParams({
    grant_type: 'client_credentials',
    scope: client.scope,
    client_assertion_type: 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer',
    client_assertion: assertion,
  });
  const answer = (await expectOk(tokenUrl, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: form })) as { access_token: string };
  return answer.access_token;
}

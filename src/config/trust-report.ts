import { createPublicKey } from 'node:crypto';
import type { AppConfig, EhrConfig } from './app-config.js';

/**
 * What a configuration trusts, in the words an operator checks it with: who may call the hooks and
 * with which keys, which FHIR servers a `fhirAuthorization` token may be sent to, which browser
 * origins may call, which apps and users the authorization server knows. Nothing secret is printed
 * (client secrets and password hashes are named, never shown).
 */

/** A pinned key as `kid (kty alg)`, or why Node cannot use it: a bad key would otherwise fail only at the first call. */
function describeKey(jwk: Record<string, unknown>): { line: string; problem?: string } {
  const name = `${String(jwk.kid ?? '(no kid)')} (${String(jwk.kty)}${jwk.alg ? ` ${String(jwk.alg)}` : ''}${jwk.crv ? ` ${String(jwk.crv)}` : ''})`;
  try {
    createPublicKey({ key: jwk as never, format: 'jwk' });
    return { line: name };
  } catch (e) {
    return { line: `${name} UNUSABLE`, problem: `${(e as Error).message}` };
  }
}

function ehrLines(ehr: EhrConfig, index: number, problems: string[]): string[] {
  const keys = (ehr.jwks?.keys ?? []).map((k) => {
    const d = describeKey(k);
    if (d.problem) problems.push(`ehrs.${index}.jwks: key ${d.line}: ${d.problem}`);
    return d.line;
  });
  return [
    `  - ${ehr.issuer}`,
    `      algorithms: ${ehr.algorithms.join(', ')}`,
    ...(keys.length ? [`      pinned keys: ${keys.join('; ')}`] : []),
    ...(ehr.jwksUrl ? [`      allowed jku: ${ehr.jwksUrl}${keys.length ? ' (never fetched: the pinned keys are used)' : ' (keys fetched from it, cached)'}`] : []),
    `      tenants: ${ehr.tenants ? ehr.tenants.join(', ') : 'any (or none)'}`,
    `      FHIR servers: ${ehr.fhirServers.length ? ehr.fhirServers.join(', ') : 'none (fhirServer is never called; prefetch only)'}`,
    ...(ehr.clientId ? [`      fhirAuthorization.subject must be: ${ehr.clientId}`] : []),
  ];
}

export interface TrustReport {
  lines: string[];
  /** Problems validation cannot see (a pinned key Node cannot import). */
  problems: string[];
}

export function trustReport(config: AppConfig): TrustReport {
  const problems: string[] = [];
  const lines = [
    `Public URL: ${config.publicUrl}  (every EHR JWT aud is ${config.publicUrl}/cds-services[/{id}[/feedback]])`,
    `CDS client authentication: ${config.auth.required ? 'required' : 'OFF (auth.required: false)'}`,
    `Trusted EHR issuers (${config.ehrs.length}):`,
    ...(config.ehrs.length ? config.ehrs.flatMap((ehr, i) => ehrLines(ehr, i, problems)) : ['  (none: every CDS call will be refused)']),
    `CORS origins allowed to call /cds-services (${config.cors.origins.length}):`,
    ...(config.cors.origins.length ? config.cors.origins.map((o) => `  - ${new URL(o).origin}`) : ['  (none: browser EHRs such as the CDS Hooks Sandbox cannot call)']),
    `SMART clients (${config.smartClients.length}):`,
    ...config.smartClients.map(
      (c) =>
        `  - ${c.clientId} "${c.name}": auth ${c.auth}${c.secret ? ' (secret set)' : ''}; launch ${c.launchUrl ?? '(none)'}; ` +
        `redirect ${c.redirectUris.join(', ') || '(none)'}; scope ${c.scope}${c.autoApprove ? '; auto-approved' : ''}`,
    ),
    `Users (${config.users.length}):`,
    ...config.users.map((u) => `  - ${u.username} as ${u.fhirUser} [${u.roles.join(', ')}]`),
    `Service settings (hooks):${Object.keys(config.hooks).length ? '' : ' defaults (card links launch apps through Hookwarden)'}`,
    ...Object.entries(config.hooks).map(([group, s]) => `  - ${group}: appLaunch ${s.appLaunch}${s.appLaunch === 'ehr' ? ' (smart links; the EHR launches the app)' : ''}`),
    `Upstream FHIR for /fhir: ${config.upstreamFhir ? config.upstreamFhir.baseUrl : 'none (hook snapshots plus local writes)'}`,
    `Database: ${config.databaseUrl ? 'PostgreSQL (DATABASE_URL)' : `PGlite in ${config.dataDir} (${config.database.pglite === 'worker' ? 'in a worker thread' : 'on the event loop'})`}`,
  ];
  return { lines, problems };
}

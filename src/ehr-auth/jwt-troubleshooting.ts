import { CLOCK_SKEW_S } from '../http/clock-skew.js';
import type { JwtCheckName } from './jwt-checks.js';

/**
 * Why an EHR's calls are refused, by the `check=` the refusal is logged with. The wire stays a bare
 * 401 (CDS Hooks §Trusting CDS Clients), so this table, printed at start and in the README, is how an
 * integrator gets from a log line to the fix. Keyed by every check name: a new check does not compile
 * until it has its row.
 */
export const JWT_TROUBLESHOOTING: Readonly<Record<JwtCheckName, { cause: string; fix: string }>> = {
  bearer: {
    cause: 'no `Authorization: Bearer <jwt>` header',
    fix: 'the EHR must sign every discovery, service and feedback call; a browser EHR whose preflight failed sends nothing (see `cors.origins`)',
  },
  malformed: { cause: 'the bearer value is not a compact JWS', fix: 'send the JWT itself, not a JSON object or an access token' },
  issuer: {
    cause: '`iss` is not a configured `ehrs[].issuer` (or a replay check found it gone)',
    fix: 'add the issuer exactly as the EHR sends it (scheme, host, no trailing slash), or enable its profile (`profiles: [cds-hooks-sandbox]`)',
  },
  algorithm: { cause: '`alg` is not in the issuer\'s `algorithms` (default ES384, RS384; never none or HS*)', fix: 'list the EHR\'s algorithm in `ehrs[].algorithms`' },
  typ: { cause: 'the JOSE header `typ` is not `JWT`', fix: 'the EHR must set `typ: JWT`' },
  crit: {
    cause: 'the JOSE header lists `crit` extensions, which this server does not understand (RFC 7515 §4.1.11 says reject)',
    fix: 'the EHR must not mark header parameters critical; CDS Hooks needs none',
  },
  kid: { cause: 'the JOSE header has no `kid`', fix: 'the EHR must name its signing key with `kid`' },
  jku: {
    cause: 'the header\'s `jku` is not the issuer\'s `jwksUrl`',
    fix: 'set `ehrs[].jwksUrl` to exactly the `jku` the EHR sends (the sandbox profile already does)',
  },
  audience: {
    cause: '`aud` is not the exact URL called, computed from `PUBLIC_URL`',
    fix: 'the discovery URL the EHR was given must start with `PUBLIC_URL` exactly (same scheme, host and port: `localhost` ≠ `127.0.0.1`); behind a proxy set `PUBLIC_URL` to the outside URL',
  },
  expiry: { cause: `\`exp\` missing or passed (${CLOCK_SKEW_S} s leeway)`, fix: 'check the EHR\'s clock (NTP) and that it signs each call afresh' },
  lifetime: { cause: '`exp` − `iat` over 5 minutes, or `iat` missing', fix: 'the EHR must issue short-lived tokens (CDS Hooks: 5 minutes at most)' },
  'issued-at': { cause: `\`iat\` in the future (beyond ${CLOCK_SKEW_S} s)`, fix: 'the EHR\'s or this server\'s clock is wrong: check NTP on both' },
  jti: { cause: '`jti` missing or longer than 255 characters', fix: 'the EHR must send a fresh, short `jti` with every token' },
  tenant: { cause: '`tenant` is not in the issuer\'s `tenants`', fix: 'add the tenant to `ehrs[].tenants`, or remove `tenants` to accept any' },
  key: {
    cause: 'no key of the issuer matches `kid` and `alg` (pinned `jwks`, or the `jwksUrl` fetch failed or lacks it)',
    fix: 'pin the EHR\'s current public JWKS, or check that `jwksUrl` is reachable from this server and lists that `kid`; `npm run check-config` shows the keys',
  },
  signature: { cause: 'the signature does not verify with the issuer\'s key', fix: 'the EHR signs with another private key than the public key configured: re-pin its JWKS' },
  replay: { cause: 'this `jti` was already used', fix: 'the EHR or a proxy resent a call with the same token; each call needs a new JWT' },
};

/** The table as Markdown, for the README and the start-up log. */
export function troubleshootingTable(): string {
  const rows = Object.entries(JWT_TROUBLESHOOTING).map(([check, { cause, fix }]) => `| \`check=${check}\` | ${cause} | ${fix} |`);
  return ['| logged | usual cause | fix |', '| --- | --- | --- |', ...rows].join('\n');
}

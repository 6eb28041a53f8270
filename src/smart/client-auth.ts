import { Inject, Injectable } from '@nestjs/common';
import { decodeProtectedHeader, importJWK, type JWK, jwtVerify } from 'jose';
import { APP_CONFIG, type AppConfig, type SmartClientConfig } from '../config/app-config.js';
import { CLIENT_ASSERTION_ALGS } from './discovery.js';
import { AssertionJtisRepository } from './assertion-jtis.repository.js';
import { InvalidClient, InvalidRequest } from './oauth-errors.js';
import { safeEqual } from './secrets.js';
import { smartUrls } from './smart-urls.js';

export const JWT_BEARER = 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer';
/** SMART client-confidential-asymmetric.md: `exp` "no more than five minutes in the future". */
const MAX_ASSERTION_SECONDS = 300;
const CLOCK_SKEW_SECONDS = 30;

export interface AuthenticatedClient {
  client: SmartClientConfig;
  method: SmartClientConfig['auth'];
}

/** What client authentication looks at: the Authorization header and the form body. */
export interface ClientCredentials {
  authorization?: string;
  body: Record<string, unknown>;
}

function str(body: Record<string, unknown>, name: string): string | undefined {
  const v = body[name];
  return typeof v === 'string' ? v : undefined;
}

/** RFC 6749 §2.3.1: `Basic base64(urlencode(id):urlencode(secret))`. */
export function parseBasic(header: string): { id: string; secret: string } | undefined {
  const m = /^Basic ([A-Za-z0-9+/=]+)$/i.exec(header.trim());
  if (!m) return undefined;
  const decoded = Buffer.from(m[1], 'base64').toString('utf8');
  const i = decoded.indexOf(':');
  if (i < 0) return undefined;
  try {
    return { id: decodeURIComponent(decoded.slice(0, i)), secret: decodeURIComponent(decoded.slice(i + 1)) };
  } catch {
    return undefined;
  }
}

/** SMART key resolution: the single key whose `kid` matches and whose `kty` fits `alg`; 0 or >1 → fail (J6). */
export function selectKey(keys: readonly JWK[], kid: string, alg: string): JWK | undefined {
  const kty = alg.startsWith('ES') ? 'EC' : 'RSA';
  const matches = keys.filter((k) => k.kid === kid && k.kty === kty);
  return matches.length === 1 ? matches[0] : undefined;
}

/** Seconds from a Cache-Control header's max-age; absent → 0 (SMART: "SHALL NOT cache ... longer than ... indicates"). */
export function maxAgeSeconds(cacheControl: string | null): number {
  const m = /(?:^|,)\s*max-age=(\d+)/i.exec(cacheControl ?? '');
  return m && !/no-store|no-cache/i.test(cacheControl ?? '') ? Number(m[1]) : 0;
}

/**
 * Token-endpoint client authentication (RFC 6749 §2.3, SMART client-public /
 * client-confidential-symmetric / client-confidential-asymmetric). Exactly one method per request.
 */
@Injectable()
export class ClientAuthenticator {
  private readonly jwksCache = new Map<string, { keys: JWK[]; until: number }>();

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly assertionJtis: AssertionJtisRepository,
  ) {}

  /** The authenticated (or, for public clients, identified) client; undefined when the request names none. */
  async authenticate(creds: ClientCredentials): Promise<AuthenticatedClient | undefined> {
    const { body } = creds;
    const methods = [creds.authorization !== undefined, body.client_secret !== undefined, body.client_assertion !== undefined];
    // RFC 6749 §2.3: "MUST NOT use more than one authentication method in each request" (T10).
    if (methods.filter(Boolean).length > 1) throw new InvalidRequest('more than one client authentication method');
    if (creds.authorization !== undefined) return this.basic(creds.authorization, body);
    if (body.client_secret !== undefined) throw new InvalidClient('client_secret_post is not supported; use HTTP Basic');
    if (body.client_assertion !== undefined || body.client_assertion_type !== undefined) return this.assertion(body);
    const clientId = str(body, 'client_id');
    if (clientId === undefined) return undefined;
    const client = this.find(clientId);
    if (!client) throw new InvalidClient('unknown client');
    // A confidential client must authenticate (T8/T9).
    if (client.auth !== 'none') throw new InvalidClient('client authentication required');
    return { client, method: 'none' };
  }

  private basic(header: string, body: Record<string, unknown>): AuthenticatedClient {
    const creds = parseBasic(header);
    const client = creds && this.find(creds.id);
    if (!creds || !client || client.auth !== 'client_secret_basic' || !client.secret || !safeEqual(creds.secret, client.secret)) {
      throw new InvalidClient('client authentication failed', true);
    }
    if (body.client_id !== undefined && body.client_id !== client.clientId) throw new InvalidClient('client_id does not match', true);
    return { client, method: 'client_secret_basic' };
  }

  private async assertion(body: Record<string, unknown>): Promise<AuthenticatedClient> {
    if (str(body, 'client_assertion_type') !== JWT_BEARER) throw new InvalidClient('unsupported client_assertion_type');
    const jwt = str(body, 'client_assertion') ?? '';
    let header: ReturnType<typeof decodeProtectedHeader>;
    let claims: { iss?: unknown; sub?: unknown };
    try {
      header = decodeProtectedHeader(jwt);
      claims = JSON.parse(Buffer.from(jwt.split('.')[1] ?? '', 'base64url').toString('utf8')) as typeof claims;
    } catch {
      throw new InvalidClient('client_assertion is not a JWT');
    }
    // SMART client-confidential-asymmetric.md header rules: typ JWT, kid required, alg we support (J5).
    const alg = header.alg ?? '';
    if (header.typ !== 'JWT' || typeof header.kid !== 'string' || !(CLIENT_ASSERTION_ALGS as readonly string[]).includes(alg)) {
      throw new InvalidClient('client_assertion header must carry typ JWT, kid and alg RS384 or ES384');
    }
    // iss = sub = client_id of a known private_key_jwt client (J4).
    const client = typeof claims.iss === 'string' ? this.find(claims.iss) : undefined;
    if (!client || client.auth !== 'private_key_jwt' || claims.sub !== claims.iss) throw new InvalidClient('unknown client or iss != sub');
    if (body.client_id !== undefined && body.client_id !== client.clientId) throw new InvalidClient('client_id does not match the assertion');
    // `jku`, when present, SHALL equal the registered JWKS URL (J7).
    if (header.jku !== undefined && header.jku !== client.jwksUrl) throw new InvalidClient('jku is not the registered JWKS URL');
    const key = selectKey(await this.clientKeys(client), header.kid, alg);
    if (!key) throw new InvalidClient('no single matching key for kid');

    const tokenUrl = smartUrls(this.config).token;
    let payload: { exp?: number; jti?: string };
    try {
      ({ payload } = await jwtVerify(jwt, await importJWK(key, alg), {
        algorithms: [alg],
        audience: tokenUrl,
        issuer: client.clientId,
        subject: client.clientId,
        requiredClaims: ['exp', 'jti'],
        clockTolerance: CLOCK_SKEW_SECONDS,
      }));
    } catch {
      throw new InvalidClient('client_assertion verification failed');
    }
    const now = Date.now() / 1000;
    if (payload.exp! > now + MAX_ASSERTION_SECONDS + CLOCK_SKEW_SECONDS) throw new InvalidClient('client_assertion exp is too far in the future');
    // SMART: jti "not previously encountered for the given iss" (J1).
    if (!(await this.assertionJtis.insert(client.clientId, String(payload.jti), new Date(payload.exp! * 1000)))) {
      throw new InvalidClient('client_assertion jti was already used');
    }
    return { client, method: 'private_key_jwt' };
  }

  /** Inline JWKS, or the registered JWKS URL fetched with `Accept: application/json` and cached per Cache-Control (J9). */
  private async clientKeys(client: SmartClientConfig): Promise<JWK[]> {
    if (client.jwks) return client.jwks.keys as JWK[];
    const url = client.jwksUrl!;
    const cached = this.jwksCache.get(url);
    if (cached && cached.until > Date.now()) return cached.keys;
    try {
      const res = await fetch(url, { headers: { Accept: 'application/json' }, signal: AbortSignal.timeout(5000) });
      if (!res.ok) return [];
      const keys = ((await res.json()) as { keys?: JWK[] }).keys ?? [];
      this.jwksCache.set(url, { keys, until: Date.now() + maxAgeSeconds(res.headers.get('cache-control')) * 1000 });
      return keys;
    } catch {
      return [];
    }
  }

  private find(clientId: string): SmartClientConfig | undefined {
    return this.config.smartClients.find((c) => c.clientId === clientId);
  }
}

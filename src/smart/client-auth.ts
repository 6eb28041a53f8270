import { Inject, Injectable } from '@nestjs/common';
import { type CryptoKey, decodeJwt, decodeProtectedHeader, type JSONWebKeySet, type JWSHeaderParameters, jwtVerify } from 'jose';
import { APP_CONFIG, type AppConfig, type SmartClientConfig } from '../config/app-config.js';
import { CLOCK_SKEW_S } from '../http/clock-skew.js';
import { isStorableText } from '../http/input-bounds.js';
import { fetchJwks, JwksCache } from '../http/jwks-cache.js';
import { CLIENT_ASSERTION_ALGS } from './discovery.js';
import { AssertionJtisRepository } from './assertion-jtis.repository.js';
import { InvalidClient, InvalidRequest } from './oauth-errors.js';
import { param } from './oauth-params.js';
import { clientKeys, LoginThrottle } from './login-throttle.js';
import { safeEqual } from './secrets.js';
import { smartUrls } from './smart-urls.js';

export const JWT_BEARER = 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer';
/** SMART client-confidential-asymmetric.md: `exp` "no more than five minutes in the future". */
const MAX_ASSERTION_SECONDS = 300;
/** Longest assertion `jti` kept in the replay store. */
const MAX_JTI_LENGTH = 255;
/**
 * A registered JWKS URL is fetched again when its Cache-Control max-age ends (SMART: "SHALL NOT
 * cache ... longer than ... indicates"), and at most every 30 s for a `kid` it lacks or after it failed.
 */
const CLIENT_JWKS_TIMING = { maxAgeMs: 0, cooldownMs: 30_000 };
const CLIENT_JWKS_TIMEOUT_MS = 5_000;

export interface AuthenticatedClient {
  client: SmartClientConfig;
  method: SmartClientConfig['auth'];
}

/** What client authentication looks at: the Authorization header and the form body. */
export interface ClientCredentials {
  authorization?: string;
  body: Record<string, unknown>;
  /** The caller's address, for throttling failed authentications. */
  address?: string;
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

/**
 * Token-endpoint client authentication (RFC 6749 §2.3, SMART client-public /
 * client-confidential-symmetric / client-confidential-asymmetric). Exactly one method per request.
 */
@Injectable()
export class ClientAuthenticator {
  private readonly keySets = new Map<string, JwksCache>();

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly assertionJtis: AssertionJtisRepository,
    private readonly throttle: LoginThrottle,
  ) {}

  /**
   * The authenticated (or, for public clients, identified) client; undefined when the request names none.
   * Failed authentications are throttled per claimed client and per address, refused 429 before any
   * secret or signature is checked again.
   */
  async authenticate(creds: ClientCredentials): Promise<AuthenticatedClient | undefined> {
    const keys = clientKeys(claimedClient(creds), creds.address);
    this.throttle.check(keys);
    try {
      const client = await this.identify(creds);
      if (client !== undefined && client.method !== 'none') this.throttle.succeed(keys[0].key);
      return client;
    } catch (e) {
      if (e instanceof InvalidClient) this.throttle.fail(keys);
      throw e;
    }
  }

  private async identify(creds: ClientCredentials): Promise<AuthenticatedClient | undefined> {
    const { body } = creds;
    const methods = [creds.authorization !== undefined, body.client_secret !== undefined, body.client_assertion !== undefined];
    // RFC 6749 §2.3: "MUST NOT use more than one authentication method in each request" (T10).
    if (methods.filter(Boolean).length > 1) throw new InvalidRequest('more than one client authentication method');
    if (creds.authorization !== undefined) return this.basic(creds.authorization, body);
    if (body.client_secret !== undefined) throw new InvalidClient('client_secret_post is not supported; use HTTP Basic');
    if (body.client_assertion !== undefined || body.client_assertion_type !== undefined) return this.assertion(body);
    const clientId = param(body, 'client_id');
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
    if (param(body, 'client_assertion_type') !== JWT_BEARER) throw new InvalidClient('unsupported client_assertion_type');
    const jwt = param(body, 'client_assertion') ?? '';
    let header: ReturnType<typeof decodeProtectedHeader>;
    let claims: { iss?: unknown; sub?: unknown };
    try {
      header = decodeProtectedHeader(jwt);
      // RFC 7519 §7.2 step 10: the claims set is a JSON object (null, arrays and scalars are refused here).
      claims = decodeJwt(jwt);
    } catch {
      throw new InvalidClient('client_assertion is not a JWT');
    }
    // SMART client-confidential-asymmetric.md header rules: typ JWT, kid required, alg we support (J5).
    const alg = header.alg ?? '';
    if (header.typ !== 'JWT' || typeof header.kid !== 'string' || !(CLIENT_ASSERTION_ALGS as readonly string[]).includes(alg)) {
      throw new InvalidClient('client_assertion header must carry typ JWT, kid and alg RS384 or ES384');
    }
    // RFC 7515 §4.1.11: no extension of SMART's assertions is understood here, so any `crit` is refused.
    if (header.crit !== undefined) throw new InvalidClient('client_assertion names critical header extensions this server does not understand');
    // iss = sub = client_id of a known private_key_jwt client (J4).
    const client = typeof claims.iss === 'string' ? this.find(claims.iss) : undefined;
    if (!client || client.auth !== 'private_key_jwt' || claims.sub !== claims.iss) throw new InvalidClient('unknown client or iss != sub');
    if (body.client_id !== undefined && body.client_id !== client.clientId) throw new InvalidClient('client_id does not match the assertion');
    // `jku`, when present, SHALL equal the registered JWKS URL (J7).
    if (header.jku !== undefined && header.jku !== client.jwksUrl) throw new InvalidClient('jku is not the registered JWKS URL');
    // SMART key resolution: the single key whose `kid` matches and whose `kty` fits `alg`; 0 or >1 → fail (J6).
    const key = await this.clientKey(client, header).catch(() => undefined);
    if (!key) throw new InvalidClient('no single matching key for kid');

    const tokenUrl = smartUrls(this.config).token;
    let payload: { exp?: number; jti?: string };
    try {
      ({ payload } = await jwtVerify(jwt, key, {
        algorithms: [alg],
        audience: tokenUrl,
        issuer: client.clientId,
        subject: client.clientId,
        requiredClaims: ['exp', 'jti'],
        clockTolerance: CLOCK_SKEW_S,
      }));
    } catch {
      throw new InvalidClient('client_assertion verification failed');
    }
    const now = Date.now() / 1000;
    if (payload.exp! > now + MAX_ASSERTION_SECONDS + CLOCK_SKEW_S) throw new InvalidClient('client_assertion exp is too far in the future');
    // RFC 7519 §4.1.7: a string; stored, so text the database can hold.
    if (typeof payload.jti !== 'string' || payload.jti.length > MAX_JTI_LENGTH || !isStorableText(payload.jti)) throw new InvalidClient('client_assertion jti is not a usable string');
    // SMART: jti "not previously encountered for the given iss" (J1).
    if (!(await this.assertionJtis.insert(client.clientId, payload.jti, new Date(payload.exp! * 1000)))) {
      throw new InvalidClient('client_assertion jti was already used');
    }
    return { client, method: 'private_key_jwt' };
  }

  /** From the inline JWKS, or the registered JWKS URL fetched with `Accept: application/json` and cached per Cache-Control (J9). */
  private clientKey(client: SmartClientConfig, header: JWSHeaderParameters): Promise<CryptoKey> {
    let set = this.keySets.get(client.clientId);
    if (!set) {
      const url = client.jwksUrl!;
      set = client.jwks ? JwksCache.pinned(client.jwks as JSONWebKeySet) : new JwksCache(() => fetchJwks(url, CLIENT_JWKS_TIMEOUT_MS), CLIENT_JWKS_TIMING);
      this.keySets.set(client.clientId, set);
    }
    return set.key(header);
  }

  private find(clientId: string): SmartClientConfig | undefined {
    return this.config.smartClients.find((c) => c.clientId === clientId);
  }
}

/** The client a request says it is (not yet authenticated): the Basic user, `client_id`, an assertion's `iss`, or none. */
function claimedClient(creds: ClientCredentials): string {
  const basic = creds.authorization === undefined ? undefined : parseBasic(creds.authorization)?.id;
  return basic ?? param(creds.body, 'client_id') ?? assertionIssuer(param(creds.body, 'client_assertion')) ?? '-';
}

/** The unverified `iss` of a client assertion, only to count its failures under the client it names. */
function assertionIssuer(jwt: string | undefined): string | undefined {
  try {
    const iss = (decodeJwt(jwt ?? '') as { iss?: unknown } | null)?.iss;
    return typeof iss === 'string' ? iss : undefined;
  } catch {
    return undefined;
  }
}

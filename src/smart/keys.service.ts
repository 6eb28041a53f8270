import { generateKeyPairSync, randomBytes } from 'node:crypto';
import { Inject, Injectable, type OnModuleInit } from '@nestjs/common';
import { errors, importJWK, type JWK, type JWSHeaderParameters, SignJWT, type JWTPayload } from 'jose';
import { type SigningKeyRow, SigningKeysRepository } from './signing-keys.repository.js';

/** Retired keys stay in the JWKS this long so tokens they signed can still be verified (max AT lifetime + margin). */
const RETIRED_PUBLISHED_MS = 2 * 3600 * 1000;
/**
 * Keys read from the database serve this long: another instance's rotation reaches this one's signer
 * and published JWKS within it (tokens naming the new kid are verified at once, see publicKey).
 */
const KEY_CACHE_MS = 60 * 1000;
/** A `kid` we do not know re-reads the keys at most this often, so made-up kids cannot drive database reads. */
const UNKNOWN_KID_READ_MS = 10 * 1000;

type SigningKey = Awaited<ReturnType<typeof importJWK>>;

function generateKey(now: Date): SigningKeyRow {
  const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const kid = randomBytes(12).toString('base64url');
  const meta = { kid, alg: 'RS256', use: 'sig' };
  return {
    kid,
    alg: 'RS256',
    private_jwk: { ...privateKey.export({ format: 'jwk' }), ...meta },
    public_jwk: { ...publicKey.export({ format: 'jwk' }), ...meta },
    created_at: now,
    retired_at: null,
  };
}

/**
 * The RS256 signing keys of the authorization server, generated on first start and persisted in
 * the database so every instance signs and verifies with the same keys (DESIGN.md configuration
 * contract: "generated and persisted on first start when absent"). They are read once and cached:
 * re-read on rotation, when a token names a `kid` we do not know (another instance rotated), and
 * every KEY_CACHE_MS; never per request.
 */
@Injectable()
export class KeysService implements OnModuleInit {
  private cache?: { keys: Promise<SigningKeyRow[]>; readAt: number };
  private lastUnknownKidRead = 0;
  private readonly imported = new Map<string, Promise<SigningKey>>();

  constructor(@Inject(SigningKeysRepository) private readonly repository: SigningKeysRepository) {}

  async onModuleInit(): Promise<void> {
    await this.repository.insertIfNoneActive(() => generateKey(new Date()));
    await this.read();
  }

  /** Adds a new active key and retires the previous ones; their public halves stay in the JWKS. */
  async rotate(): Promise<string> {
    const key = generateKey(new Date());
    await this.repository.rotate(key);
    await this.read();
    return key.kid;
  }

  /** Whether an active signing key is loaded (readiness): read from the cache, or from the database once it expired. */
  async loaded(): Promise<boolean> {
    return (await this.keys()).some((k) => k.retired_at === null);
  }

  /** Public JWKS (OIDC Discovery `jwks_uri`): the active key and recently retired ones. */
  async jwks(): Promise<{ keys: JWK[] }> {
    const since = Date.now() - RETIRED_PUBLISHED_MS;
    const keys = await this.keys();
    return { keys: keys.filter((k) => k.retired_at === null || k.retired_at.getTime() > since).map((k) => k.public_jwk) };
  }

  /** The public JWK for `kid`, if it is still published. */
  async publicKey(kid: string): Promise<JWK | undefined> {
    const known = (await this.jwks()).keys.find((k) => k.kid === kid);
    if (known !== undefined || Date.now() - this.lastUnknownKidRead < UNKNOWN_KID_READ_MS) return known;
    this.lastUnknownKidRead = Date.now();
    await this.read();
    return (await this.jwks()).keys.find((k) => k.kid === kid);
  }

  /** jose key resolution for our own tokens: the published key the header's `kid` names. */
  readonly verificationKey = async (header: JWSHeaderParameters): Promise<SigningKey> => {
    const jwk = await this.publicKey(header.kid ?? '');
    if (!jwk) throw new errors.JWKSNoMatchingKey();
    return this.import(jwk, `public:${jwk.kid}`);
  };

  /** Signs `payload` with the active key (RS256, `kid` in the header). */
  async sign(payload: JWTPayload, typ = 'JWT'): Promise<string> {
    const active = (await this.keys()).find((k) => k.retired_at === null);
    if (!active) throw new Error('no active signing key');
    const key = await this.import(active.private_jwk, `private:${active.kid}`);
    return new SignJWT(payload).setProtectedHeader({ alg: 'RS256', kid: active.kid, typ }).sign(key);
  }

  private keys(): Promise<SigningKeyRow[]> {
    if (this.cache === undefined || Date.now() - this.cache.readAt >= KEY_CACHE_MS) return this.read();
    return this.cache.keys;
  }

  private read(): Promise<SigningKeyRow[]> {
    const keys = this.repository.published(new Date(Date.now() - RETIRED_PUBLISHED_MS));
    const entry = { keys, readAt: Date.now() };
    this.cache = entry;
    // A failed read is not cached: the next call reads again.
    keys.catch(() => {
      if (this.cache === entry) this.cache = undefined;
    });
    return keys;
  }

  private import(jwk: JWK, id: string): Promise<SigningKey> {
    let key = this.imported.get(id);
    if (key === undefined) {
      key = importJWK(jwk, 'RS256');
      this.imported.set(id, key);
    }
    return key;
  }
}

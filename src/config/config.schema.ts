import { z } from 'zod';

// Cross-field rules run even when other fields already failed, so one run names every bad key.
const always = { when: () => true };

/**
 * The configuration file contract (DESIGN.md § Configuration contract). Parsed once at boot;
 * any problem stops the start with every bad key named.
 */

const jwk = z.looseObject({ kty: z.string(), kid: z.string().optional() });
const jwks = z.object({ keys: z.array(jwk).min(1) });
const httpUrl = z.url({ protocol: /^https?$/ });

/** CDS Hooks §Trusting CDS Clients: never `none`, never symmetric; ES384/RS384 recommended. */
export const EHR_ALGORITHMS = ['ES256', 'ES384', 'ES512', 'RS256', 'RS384', 'RS512', 'PS256', 'PS384', 'PS512'] as const;

/** What an issuer that lists no `algorithms` accepts (§Trusting CDS Clients: ES384/RS384 RECOMMENDED). */
export const DEFAULT_EHR_ALGORITHMS: readonly (typeof EHR_ALGORITHMS)[number][] = ['ES384', 'RS384'];

const ehrSchema = z
  .object({
    issuer: z.string().min(1),
    jwksUrl: httpUrl.optional(),
    jwks: jwks.optional(),
    algorithms: z.array(z.enum(EHR_ALGORITHMS)).min(1).default([...DEFAULT_EHR_ALGORITHMS]),
    tenants: z.array(z.string().min(1)).optional(),
    fhirServers: z.array(httpUrl).default([]),
    clientId: z.string().min(1).optional(),
  })
  .refine((e) => e.jwksUrl !== undefined || e.jwks !== undefined, { message: 'needs jwksUrl or jwks', ...always });

const smartClientSchema = z
  .object({
    clientId: z.string().min(1),
    name: z.string().min(1),
    launchUrl: httpUrl.optional(),
    redirectUris: z.array(httpUrl).default([]),
    scope: z.string().min(1),
    auth: z.enum(['none', 'client_secret_basic', 'private_key_jwt']).default('none'),
    secret: z.string().min(16).optional(),
    jwksUrl: httpUrl.optional(),
    jwks: jwks.optional(),
    autoApprove: z.boolean().default(false),
    /** FHIR resource types this app may create/update through /fhir (DESIGN.md flow 4). */
    writableTypes: z.array(z.string()).default([]),
    /** Where the authorization server may send the browser after logout (OIDC RP-Initiated Logout 1.0 §2: registered beforehand). */
    postLogoutRedirectUris: z.array(httpUrl).optional(),
  })
  .refine((c) => c.auth !== 'client_secret_basic' || c.secret !== undefined, {
    message: 'client_secret_basic needs secret',
    ...always,
  })
  .refine((c) => c.auth !== 'private_key_jwt' || c.jwksUrl !== undefined || c.jwks !== undefined, {
    message: 'private_key_jwt needs jwksUrl or jwks',
    ...always,
  });

/** A SMART `fhirUser` reference (SMART app-launch.md "fhirUser"): a relative reference of one of these types. */
export const FHIR_USER = /^(Practitioner|Patient|RelatedPerson|Person)\/[A-Za-z0-9\-.]{1,64}$/;

const userSchema = z.object({
  username: z.string().min(1),
  /** `scrypt$<N>$<r>$<p>$<salt b64url>$<hash b64url>` (see smart/passwords.ts). */
  passwordHash: z.string().startsWith('scrypt$'),
  fhirUser: z.string().regex(FHIR_USER),
  /** `analyst` may read the analytics API and dashboard (DESIGN.md "Analytics contract"). */
  roles: z.array(z.enum(['clinician', 'analyst', 'admin'])).min(1),
  /** The same person at an upstream OpenID provider: its `id` in identityProviders[] and the `sub` it asserts. */
  upstream: z.strictObject({ provider: z.string().min(1), sub: z.string().min(1) }).optional(),
});

/** Loopback only: an OpenID provider is otherwise reached over https (OIDC Core §16.17 "TLS Requirements"). */
const issuerUrl = httpUrl.refine((u) => u.startsWith('https:') || /^http:\/\/(127\.0\.0\.1|localhost|\[::1\])(:|\/|$)/.test(u), {
  message: 'must be https (http only on loopback)',
});

/**
 * An upstream OpenID provider the sign-in page offers (OIDC Core §3.1, as a confidential relying party).
 * Who the signed-in person is here comes from `fhirUserClaim` (a claim carrying the fhirUser reference) or,
 * without it, from the users[] entry whose `upstream` names this provider and the asserted `sub`.
 */
const identityProviderSchema = z
  .strictObject({
    /** Short name in URLs and users[].upstream.provider. */
    id: z.string().regex(/^[a-z0-9][a-z0-9-]{0,31}$/),
    displayName: z.string().min(1),
    issuer: issuerUrl,
    clientId: z.string().min(1),
    clientAuth: z.enum(['client_secret_basic', 'private_key_jwt']),
    clientSecret: z.string().min(16).optional(),
    /** The private JWK signing the client assertion (RFC 7523 §2.2); its public half is registered at the provider. */
    privateKeyJwk: z.looseObject({ kty: z.string(), d: z.string(), kid: z.string().optional(), alg: z.string().optional() }).optional(),
    scopes: z.array(z.string().min(1)).default(['openid', 'email', 'profile']),
    fhirUserClaim: z.string().min(1).optional(),
    /** When set, only people whose `hd` claim, or verified `email` domain, is one of these sign in. */
    allowedDomains: z.array(z.string().min(1)).default([]),
  })
  .refine((p) => p.scopes.includes('openid'), { message: 'scopes must include openid', path: ['scopes'], ...always })
  .refine((p) => p.clientAuth !== 'client_secret_basic' || p.clientSecret !== undefined, { message: 'client_secret_basic needs clientSecret', ...always })
  .refine((p) => p.clientAuth !== 'private_key_jwt' || p.privateKeyJwk !== undefined, { message: 'private_key_jwt needs privateKeyJwk', ...always });

/** Connection pool and timeouts of the database (PostgreSQL; PGlite has one connection and applies the statement timeout). */
export const DATABASE_DEFAULTS = { poolSize: 10, statementTimeoutMs: 10_000, connectTimeoutMs: 5000, pglite: 'worker' } as const;

const databaseSchema = z
  .strictObject({
    /** Connections per instance; instances × poolSize must stay under the server's max_connections. */
    poolSize: z.number().int().min(1).max(500).default(DATABASE_DEFAULTS.poolSize),
    /**
     * A statement running longer is cancelled (PostgreSQL `statement_timeout`), so a stuck query fails the request (503) instead of
     * hanging it; a server that cannot answer at all (frozen) is given this plus one second by the client.
     */
    statementTimeoutMs: z.number().int().min(100).max(600_000).default(DATABASE_DEFAULTS.statementTimeoutMs),
    /** How long a request waits for a free pooled connection (or a new one) before it fails (503); also the bound of /readyz. */
    connectTimeoutMs: z.number().int().min(100).max(120_000).default(DATABASE_DEFAULTS.connectTimeoutMs),
    /**
     * Where the embedded PGlite runs (issue 14, "SQL off the event loop in embedded mode"): `worker`, a
     * worker thread, so its engine leaves the request event loop and can use a second core; `inline`,
     * on the event loop itself.
     */
    pglite: z.enum(['worker', 'inline']).default(DATABASE_DEFAULTS.pglite),
  })
  .default(DATABASE_DEFAULTS);

/** Per service group (a service definition's `configKey`), what the host does with its cards. */
const serviceSettingsSchema = z.strictObject({
  /**
   * Who launches the app a card links to: `hookwarden` (an `absolute` click-through link; Hookwarden
   * mints the launch) or `ehr` (a CDS Hooks `smart` link; the EHR launches the app through its own
   * SMART server and the app redeems the link's opaque `appContext` at Hookwarden).
   */
  appLaunch: z.enum(['hookwarden', 'ehr']).default('hookwarden'),
});

/** Request size bounds (DESIGN.md § Configuration contract); over one, a request is answered 413 or a prefetch key `too-large`. */
export const LIMIT_DEFAULTS = {
  bodyBytes: 5_000_000,
  jsonDepth: 100,
  arrayItems: 10_000,
  prefetchBytes: 2_000_000,
  prefetchResources: 1000,
  draftOrders: 200,
  cards: 100,
  feedbackItemsPerCard: 20,
} as const;

const limitsSchema = z
  .strictObject({
    /** Largest JSON body (hook calls carry prefetch Bundles), in bytes. */
    bodyBytes: z.number().int().min(10_000).max(100_000_000).default(LIMIT_DEFAULTS.bodyBytes),
    /** Deepest nesting of objects and arrays in any JSON read (bodies, fetched prefetch). */
    jsonDepth: z.number().int().min(16).max(1000).default(LIMIT_DEFAULTS.jsonDepth),
    /** Most elements of one JSON array. */
    arrayItems: z.number().int().min(100).max(1_000_000).default(LIMIT_DEFAULTS.arrayItems),
    /** Most bytes read from the FHIR server for one prefetch key; the read stops there. */
    prefetchBytes: z.number().int().min(10_000).max(100_000_000).default(LIMIT_DEFAULTS.prefetchBytes),
    /** Most resources of one prefetch key, sent or fetched. */
    prefetchResources: z.number().int().min(1).max(100_000).default(LIMIT_DEFAULTS.prefetchResources),
    /** Most draft orders one hook call may carry. */
    draftOrders: z.number().int().min(1).max(10_000).default(LIMIT_DEFAULTS.draftOrders),
    /** Most cards one service call may answer. */
    cards: z.number().int().min(1).max(10_000).default(LIMIT_DEFAULTS.cards),
    /** Most feedback items for one card in one request. */
    feedbackItemsPerCard: z.number().int().min(1).max(1000).default(LIMIT_DEFAULTS.feedbackItemsPerCard),
  })
  .default(LIMIT_DEFAULTS);

/** The authorization server's sign-in session (DESIGN.md "Authorization"): idle and absolute lifetimes in seconds. */
export const SESSION_DEFAULTS = { idleSeconds: 30 * 60, absoluteSeconds: 12 * 3600 } as const;

const sessionSchema = z
  .strictObject({
    /** A session unused this long is over; the next authorize request signs in again. */
    idleSeconds: z.number().int().min(60).max(24 * 3600).default(SESSION_DEFAULTS.idleSeconds),
    /** However busy, a session is over this long after its sign-in. */
    absoluteSeconds: z.number().int().min(60).max(30 * 24 * 3600).default(SESSION_DEFAULTS.absoluteSeconds),
  })
  .refine((s) => s.idleSeconds <= s.absoluteSeconds, { message: 'idleSeconds must not exceed absoluteSeconds', path: ['idleSeconds'] })
  .default(SESSION_DEFAULTS);

/** How card links launch apps (DESIGN.md flow 2). */
export const LINK_DEFAULTS = { maxLaunches: 5 } as const;

const linksSchema = z
  .strictObject({
    /**
     * A click launches only for the signed-in user the hook named (`userId` = `fhirUser`). Unset: on whenever
     * users or identity providers are configured (see `linkUserBinding`).
     */
    userBinding: z.boolean().optional(),
    /** Launches one link may mint within its lifetime; later clicks are refused. */
    maxLaunches: z.number().int().min(1).max(100).default(LINK_DEFAULTS.maxLaunches),
  })
  .default(LINK_DEFAULTS);

export const fileSchema = z.strictObject({
  ehrs: z.array(ehrSchema).default([]),
  smartClients: z.array(smartClientSchema).default([]),
  users: z.array(userSchema).default([]),
  identityProviders: z.array(identityProviderSchema).default([]),
  auth: z.strictObject({ required: z.boolean().default(true) }).default({ required: true }),
  cors: z.strictObject({ origins: z.array(httpUrl).default([]) }).default({ origins: [] }),
  /** Lifetimes in seconds. */
  lifetimes: z
    .strictObject({
      launch: z.number().int().positive().max(3600).default(300),
      code: z.number().int().positive().max(600).default(60),
      accessToken: z.number().int().positive().max(3600).default(3600),
      backendAccessToken: z.number().int().positive().max(300).default(300),
      refreshToken: z.number().int().positive().default(90 * 24 * 3600),
      link: z.number().int().positive().default(24 * 3600),
      feedbackUrl: z.number().int().positive().default(7 * 24 * 3600),
      /** Step-up override access tokens (DESIGN.md "Step-up override protocol"): short-lived, single-use, no refresh. */
      override: z.number().int().positive().max(600).default(300),
    })
    .default({
      launch: 300,
      code: 60,
      accessToken: 3600,
      backendAccessToken: 300,
      refreshToken: 90 * 24 * 3600,
      link: 24 * 3600,
      feedbackUrl: 7 * 24 * 3600,
      override: 300,
    }),
  /** Opt-in development profiles. `cds-hooks-sandbox` trusts the public sandbox issuer. */
  profiles: z.array(z.enum(['cds-hooks-sandbox'])).default([]),
  /** Upstream FHIR server the /fhir endpoint proxies to; unset → the hook snapshots plus local writes. */
  upstreamFhir: z.strictObject({ baseUrl: httpUrl, bearerToken: z.string().optional() }).optional(),
  /** HTML frame-ancestors allow-list for the authorization pages (RFC 9700 §4.16). */
  frameAncestors: z.array(httpUrl).default([]),
  database: databaseSchema,
  /** Keyed by service group, e.g. `medication-safety`; a key naming no served group stops the start. */
  hooks: z.record(z.string(), serviceSettingsSchema).default({}),
  /**
   * Write-rule id → the level its override needs, to raise a service's level (`confirm` → `reauthenticate`);
   * a level below the service's, or a rule no service declares, stops the start.
   */
  overrides: z.record(z.string().min(1), z.enum(['confirm', 'reauthenticate'])).default({}),
  /** Raw analytics events (calls, cards, feedback, clicks, launches, overrides) are kept this many days once rolled up; the rollups stay. */
  analytics: z.strictObject({ retentionDays: z.number().int().min(1).max(3660).default(90) }).default({ retentionDays: 90 }),
  limits: limitsSchema,
  session: sessionSchema,
  links: linksSchema,
});

export type FileConfig = z.infer<typeof fileSchema>;
export type EhrConfig = z.infer<typeof ehrSchema>;
export type SmartClientConfig = z.infer<typeof smartClientSchema>;
export type UserConfig = z.infer<typeof userSchema>;
export type IdentityProviderConfig = z.infer<typeof identityProviderSchema>;
export type DatabaseConfig = z.infer<typeof databaseSchema>;
export type ServiceSettings = z.infer<typeof serviceSettingsSchema>;
export type LimitsConfig = z.infer<typeof limitsSchema>;
export type SessionConfig = z.infer<typeof sessionSchema>;
export type LinksConfig = z.infer<typeof linksSchema>;

export const envSchema = z.object({
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  PUBLIC_URL: httpUrl.optional(),
  DATABASE_URL: z.string().regex(/^postgres(ql)?:\/\//, 'must be a postgres:// URL').optional(),
  DATA_DIR: z.string().min(1).default('./data'),
  HOOKWARDEN_CONFIG: z.string().min(1).optional(),
  /** Processes serving the one port (node:cluster); more than one needs PostgreSQL. */
  WORKERS: z.coerce.number().int().min(1).max(64).default(1),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace']).default('info'),
});

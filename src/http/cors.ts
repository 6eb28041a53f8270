/**
 * CORS (Fetch standard, "CORS protocol"): the headers a response to a cross-origin request gets.
 * Pure decision. Origins are an explicit allow-list and are echoed back, never `*`; nothing at all
 * for an origin off the list.
 */

/** What a preflight answer allows besides the origin. */
export interface CorsPreflight {
  methods: string;
  headers: string;
  maxAgeSeconds?: number;
}

/** The CORS headers for a request from `origin`; with `preflight`, those of a preflight answer. */
export function corsHeaders(origin: string | undefined, allowed: ReadonlySet<string>, preflight?: CorsPreflight): Record<string, string> {
  if (origin === undefined || !allowed.has(origin)) return {};
  return {
    'Access-Control-Allow-Origin': origin,
    // The answer depends on Origin, so caches must key on it.
    Vary: 'Origin',
    ...(preflight ? { 'Access-Control-Allow-Methods': preflight.methods, 'Access-Control-Allow-Headers': preflight.headers } : {}),
    ...(preflight?.maxAgeSeconds === undefined ? {} : { 'Access-Control-Max-Age': String(preflight.maxAgeSeconds) }),
  };
}

/**
 * CORS for the CDS endpoints (§Cross-Origin Resource Sharing; browser clients such as the sandbox).
 * Pure decision: which headers a response gets. Origins are an explicit allow-list; never `*`.
 */

/** Preflights ask for `authorization` (discovery) and `authorization,content-type` (calls, feedback). */
const CORS_PREFLIGHT_HEADERS = {
  'Access-Control-Allow-Methods': 'GET, POST, OPTIONS',
  'Access-Control-Allow-Headers': 'Authorization, Content-Type',
  'Access-Control-Max-Age': '600',
} as const;

/** The CORS headers for a request from `origin`: none unless the origin is on the allow-list. */
export function corsHeaders(origin: string | undefined, allowed: readonly string[], preflight: boolean): Record<string, string> {
  if (origin === undefined || !allowed.includes(origin)) return {};
  return { 'Access-Control-Allow-Origin': origin, ...(preflight ? CORS_PREFLIGHT_HEADERS : {}) };
}

/** Raw OAuth request parameters: the query of a GET, or a form body. */
export type OAuthParams = Record<string, unknown>;

/**
 * A single-valued parameter. A repeated one (an array from the parser) counts as absent: RFC 6749
 * §3.1 "Request and response parameters MUST NOT be included more than once".
 */
export function param(params: OAuthParams, name: string): string | undefined {
  const v = params[name];
  return typeof v === 'string' ? v : undefined;
}

// FHIR token search semantics (R4 search.html#token): `code`, `system|code`, `|code` (no system), `system|`.

interface Token {
  system?: string;
  code: string;
}

// Scope values repeat for every resource of a Bundle; parse each once (bounded: values come from scopes).
const MAX_CACHED = 1000;
const parsed = new Map<string, Token[]>();

function parseToken(value: string): Token {
  const bar = value.indexOf('|');
  return bar < 0 ? { code: value } : { system: value.slice(0, bar), code: value.slice(bar + 1) };
}

function parseValue(value: string): Token[] {
  const tokens = value.split(',').map(parseToken);
  if (parsed.size < MAX_CACHED) parsed.set(value, tokens);
  return tokens;
}

function matchesPair(token: Token, system: unknown, code: unknown): boolean {
  if (typeof code !== 'string') return false;
  if (token.system === undefined) return code === token.code;
  if (token.system === '') return (system === undefined || system === '') && code === token.code;
  return system === token.system && (token.code === '' || code === token.code);
}

function matchesElement(token: Token, element: unknown): boolean {
  // Primitive `code`/`string`/`boolean` elements carry no system, so only a bare code can match them.
  if (typeof element === 'string' || typeof element === 'boolean' || typeof element === 'number') {
    return token.system === undefined && String(element) === token.code;
  }
  if (element === null || typeof element !== 'object') return false;
  const e = element as Record<string, unknown>;
  if (Array.isArray(e.coding)) return e.coding.some((c) => matchesElement(token, c));
  if ('code' in e) return matchesPair(token, e.system, e.code);
  if ('value' in e) return matchesPair(token, e.system, e.value);
  return false;
}

/**
 * True when a `value` (a comma-separated OR list of tokens) matches any element
 * (CodeableConcept, Coding, Identifier, or primitive code).
 */
export function matchesToken(value: string, elements: readonly unknown[]): boolean {
  const tokens = parsed.get(value) ?? parseValue(value);
  return tokens.some((t) => elements.some((e) => matchesElement(t, e)));
}

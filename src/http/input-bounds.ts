/**
 * The shape every input must have before any code of ours walks it: JSON no deeper and no wider than the
 * configured bounds, and text a database can store. JSON.parse accepts 5,000 levels of nesting and
 * arrays of any length, but the recursive code behind it (validators, canonical JSON, JSON.stringify)
 * overflows the stack or blocks the event loop; PostgreSQL refuses NUL (text and jsonb) and unpaired
 * UTF-16 surrogates (jsonb `\ud800`). So one iterative walk at the edge decides, for every transport.
 */

/** Request size bounds of the configuration file (`limits`), as far as the walk needs them. */
export interface JsonBounds {
  /** Deepest nesting of objects and arrays. */
  maxDepth: number;
  /** Most elements of one array. */
  maxArrayItems: number;
}

/** Why an input is refused: malformed (400) or over a bound (413), and where (a JSON path). */
export interface InputProblem {
  kind: 'malformed' | 'too-large';
  path: string;
  message: string;
}

/** A UTF-16 surrogate without its pair: not a Unicode character (RFC 8259 §8.2), refused by jsonb. */
const UNPAIRED_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

/** RFC 8259 §8.1 / §8.2: text is a sequence of Unicode characters, and none of them NUL (PostgreSQL text and jsonb cannot hold it). */
export function isStorableText(s: string): boolean {
  return !s.includes('\0') && !UNPAIRED_SURROGATE.test(s);
}

interface Frame {
  value: unknown;
  depth: number;
  parent?: Frame;
  key?: string | number;
}

function pathOf(frame: Frame | undefined): string {
  const keys: (string | number)[] = [];
  for (let f = frame; f?.key !== undefined; f = f.parent) keys.unshift(f.key);
  return keys.reduce<string>((p, k) => (typeof k === 'number' ? `${p}[${k}]` : /^[A-Za-z_$][\w$]*$/.test(k) ? `${p}.${k}` : `${p}[${JSON.stringify(k)}]`), '$');
}

/**
 * The first problem of a parsed JSON value (a body, a query, path parameters, a fetched resource), or
 * undefined when it is within the bounds. Iterative, so no input can overflow the stack here; each
 * array is measured before its elements are visited, so a huge one costs nothing to refuse.
 */
export function inputProblem(value: unknown, bounds: JsonBounds): InputProblem | undefined {
  const stack: Frame[] = [{ value, depth: 0 }];
  while (stack.length > 0) {
    const frame = stack.pop()!;
    const v = frame.value;
    if (typeof v === 'string') {
      if (!isStorableText(v)) return { kind: 'malformed', path: pathOf(frame), message: 'contains a NUL character or an unpaired surrogate' };
      continue;
    }
    if (typeof v !== 'object' || v === null) continue;
    if (frame.depth >= bounds.maxDepth) return { kind: 'too-large', path: pathOf(frame), message: `is nested deeper than ${bounds.maxDepth} levels` };
    const depth = frame.depth + 1;
    if (Array.isArray(v)) {
      if (v.length > bounds.maxArrayItems) return { kind: 'too-large', path: pathOf(frame), message: `has more than ${bounds.maxArrayItems} items` };
      for (let i = v.length - 1; i >= 0; i--) stack.push({ value: v[i], depth, parent: frame, key: i });
      continue;
    }
    for (const [key, child] of Object.entries(v)) {
      if (!isStorableText(key)) return { kind: 'malformed', path: pathOf(frame), message: 'has a key with a NUL character or an unpaired surrogate' };
      stack.push({ value: child, depth, parent: frame, key });
    }
  }
  return undefined;
}

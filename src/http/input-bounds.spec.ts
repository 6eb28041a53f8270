import { inputProblem, isStorableText } from './input-bounds.js';
import { rejectionFor } from './input-errors.js';

const bounds = { maxDepth: 10, maxArrayItems: 5 };
const nested = (depth: number): unknown => (depth === 0 ? 0 : [nested(depth - 1)]);

describe('isStorableText', () => {
  it('accepts any Unicode text, including paired surrogates', () => {
    for (const s of ['', 'abc', 'é ü ß', '💊 \ud83d\udc8a', '\u0001\u001f']) expect(isStorableText(s)).toBe(true);
  });

  it('refuses NUL and unpaired surrogates, high or low', () => {
    for (const s of ['\u0000', 'a\u0000b', '\ud800', 'a\ud800', '\udc00a', '\udc00\ud800', 'x\ud83d']) expect(isStorableText(s)).toBe(false);
  });
});

describe('inputProblem', () => {
  it('passes values within the bounds', () => {
    expect(inputProblem({ a: [1, 2, 3, 4, 5], b: { c: 'text', d: null, e: true } }, bounds)).toBeUndefined();
    expect(inputProblem(nested(10), bounds)).toBeUndefined();
    expect(inputProblem(undefined, bounds)).toBeUndefined();
  });

  it('refuses nesting deeper than maxDepth as too large, at the first level too deep', () => {
    expect(inputProblem(nested(11), bounds)).toEqual({ kind: 'too-large', path: '$[0][0][0][0][0][0][0][0][0][0]', message: 'is nested deeper than 10 levels' });
  });

  it('walks 100,000 levels without overflowing the stack', () => {
    const deep = JSON.parse(`${'['.repeat(100_000)}${']'.repeat(100_000)}`);
    expect(inputProblem(deep, { maxDepth: 100, maxArrayItems: 10 })?.kind).toBe('too-large');
  });

  it('refuses an array longer than maxArrayItems', () => {
    expect(inputProblem({ a: { b: [1, 2, 3, 4, 5, 6] } }, bounds)).toEqual({ kind: 'too-large', path: '$.a.b', message: 'has more than 5 items' });
  });

  it('refuses a NUL or unpaired surrogate in a value or a key, naming where', () => {
    expect(inputProblem({ context: { patientId: 'p\u0000' } }, bounds)).toEqual({ kind: 'malformed', path: '$.context.patientId', message: 'contains a NUL character or an unpaired surrogate' });
    expect(inputProblem({ a: [{ 'odd key': ['\ud800'] }] }, bounds)?.path).toBe('$.a[0]["odd key"][0]');
    expect(inputProblem({ a: { 'k\u0000': 1 } }, bounds)).toEqual({ kind: 'malformed', path: '$.a', message: 'has a key with a NUL character or an unpaired surrogate' });
  });
});

describe('rejectionFor', () => {
  it('too large → 413 too-long; malformed → 400 invalid; the path below the part of the request', () => {
    const big = rejectionFor({ kind: 'too-large', path: '$.a', message: 'has more than 5 items' }, '');
    expect([big.status, big.issueType, big.code, big.message, big.path]).toEqual([413, 'too-long', 'invalid_request', 'a has more than 5 items', 'a']);
    const bad = rejectionFor({ kind: 'malformed', path: '$.state', message: 'contains a NUL character or an unpaired surrogate' }, 'query');
    expect([bad.status, bad.issueType, bad.path]).toEqual([400, 'invalid', 'query.state']);
    expect(rejectionFor({ kind: 'malformed', path: '$[0]', message: 'x' }, 'params').path).toBe('params[0]');
    expect(rejectionFor({ kind: 'malformed', path: '$', message: 'x' }, '').path).toBe('$');
  });
});

import type { Response } from 'supertest';

/** An OperationOutcome response with `status` and issue code(s) among `codes`. */
export function expectOperationOutcome(res: Response, status: number, codes: string[]): void {
  expect(res.status).toBe(status);
  expect(res.headers['content-type']).toMatch(/^application\/json/);
  expect(res.body.resourceType).toBe('OperationOutcome');
  expect(res.body.issue.length).toBeGreaterThan(0);
  for (const issue of res.body.issue) {
    expect(issue.severity).toBe('error');
    expect(codes).toContain(issue.code);
  }
  expect(JSON.stringify(res.body)).not.toMatch(/\bat .+:\d+:\d+|stack/);
}

/** Paths of every null, "", [] or {} in `value` (§Use of JSON), except the allowed `cards: []`. */
export function emptyValuePaths(value: unknown, path = '$'): string[] {
  if (value === null || value === '') return [path];
  if (Array.isArray(value)) return value.length === 0 ? [path] : value.flatMap((v, i) => emptyValuePaths(v, `${path}[${i}]`));
  if (typeof value === 'object') {
    const entries = Object.entries(value);
    if (entries.length === 0) return [path];
    return entries.flatMap(([k, v]) => (path === '$' && k === 'cards' && Array.isArray(v) && v.length === 0 ? [] : emptyValuePaths(v, `${path}.${k}`)));
  }
  return [];
}

export const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

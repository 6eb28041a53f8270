import { readFileSync } from 'node:fs';
import type { z } from 'zod';
import { fileSchema } from './config.schema.js';

// The README's configuration table is the operator's one list of keys: every key of the schema is a
// row, no row names a key that does not exist, and each default is the schema's.

/** What the README calls the free-form key of each record. */
const RECORD_KEYS: Record<string, string> = { hooks: '<group>', overrides: '<rule>' };

/** Leaf keys of the schema as the README names them: `a.b`, `list[].field`, `hooks.<group>.key`. */
function leafKeys(schema: z.ZodType, path = ''): string[] {
  const def = schema.def as unknown as Record<string, unknown> & { type: string };
  if (def.type === 'optional' || def.type === 'default' || def.type === 'nullable') return leafKeys(def.innerType as z.ZodType, path);
  if (def.type === 'array') return leafKeys(def.element as z.ZodType, `${path}[]`);
  if (def.type === 'record') return leafKeys(def.valueType as z.ZodType, `${path}.${RECORD_KEYS[path] ?? '<key>'}`);
  // A JWK Set is one value, not keys of ours.
  if (def.type === 'object' && !path.endsWith('jwks')) {
    return Object.entries(def.shape as Record<string, z.ZodType>).flatMap(([key, value]) => leafKeys(value, path ? `${path}.${key}` : key));
  }
  return [path];
}

function readmeRows(): Map<string, string> {
  const readme = readFileSync(new URL('../../README.md', import.meta.url), 'utf8');
  const rows = new Map<string, string>();
  for (const m of readme.matchAll(/^\| `([a-zA-Z<>[\].]+)` \| ([^|]+) \|/gm)) rows.set(m[1] as string, (m[2] as string).trim());
  return rows;
}

/** The schema's default of a top-level-defaulted key (e.g. `lifetimes.link`), or undefined inside lists and records. */
function defaultOf(key: string): unknown {
  if (key.includes('[].') || key.includes('<')) return undefined;
  let value: unknown = fileSchema.parse({});
  for (const part of key.replace(/\[\]$/, '').split('.')) value = (value as Record<string, unknown> | undefined)?.[part];
  return value;
}

describe('README configuration table', () => {
  const keys = leafKeys(fileSchema);
  const rows = readmeRows();

  it('has a row for every key of the schema and none for a key that does not exist', () => {
    expect(keys.filter((k) => !rows.has(k))).toEqual([]);
    const documentedFileKeys = [...rows.keys()].filter((k) => /^[a-z]/.test(k) && (k.includes('.') || k.endsWith('[]')));
    expect(documentedFileKeys.filter((k) => !keys.includes(k))).toEqual([]);
  });

  it('states each top-level default as the schema has it', () => {
    const wrong = keys.flatMap((key) => {
      const value = defaultOf(key);
      if (value === undefined) return [];
      const cell = rows.get(key) ?? '';
      return cell.startsWith(`\`${JSON.stringify(value)}\``) ? [] : [`${key}: README says ${cell}, schema ${JSON.stringify(value)}`];
    });
    expect(wrong).toEqual([]);
  });
});

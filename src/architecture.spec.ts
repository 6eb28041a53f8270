import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

// DESIGN.md § Architecture: the arrows point down, and this allow-list is the whole of what a folder
// may import from src/ and hooks/. A new import against it fails here, not in review.
const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');

/** How a folder may use another: any import, or `import type` only. */
type Use = 'any' | 'types';

/**
 * DESIGN.md § Architecture, row by row. One deviation: `http/` is the transport kernel every
 * HTTP-facing folder shares (the base error, the OperationOutcome and HTML page builders, the CORS
 * decision, the JWKS cache and the clock-skew constant of JWT checks); like `scopes/` it imports
 * nothing of src/, so `store/` may raise its errors too. The bootstrap files at the top of src/ wire everything.
 */
const ALLOWED: Record<string, Record<string, Use>> = {
  'src/scopes': {},
  'src/config': {},
  'src/http': {},
  // The store notices a database outage first and raises the base error's TemporarilyUnavailable.
  'src/store': { 'src/config': 'any', 'src/http': 'any' },
  'src/signing': { 'src/store': 'any', 'src/config': 'any' },
  'src/ehr-auth': { 'src/store': 'any', 'src/config': 'any', 'src/http': 'any' },
  'src/fhir': {
    'src/scopes': 'any',
    'src/store': 'any',
    'src/config': 'any',
    'src/http': 'any',
    'src/ehr-auth': 'types',
    'src/smart': 'any',
  },
  'src/smart': { 'src/scopes': 'any', 'src/signing': 'any', 'src/store': 'any', 'src/config': 'any', 'src/http': 'any' },
  'src/cds': {
    'src/ehr-auth': 'any',
    'src/fhir': 'any',
    'src/scopes': 'any',
    'src/store': 'any',
    'src/config': 'any',
    'src/http': 'any',
    // The registry of served services (DESIGN.md: cds/ holds the "registry of hooks/").
    hooks: 'any',
  },
  'src/links': { 'src/cds': 'any', 'src/smart': 'any', 'src/signing': 'any', 'src/store': 'any', 'src/config': 'any', 'src/http': 'any' },
  'src/analytics': { 'src/smart': 'any', 'src/store': 'any', 'src/config': 'any', 'src/http': 'any' },
  // The demo EHR console plays an EHR against the CDS endpoints: it renders cds/ types and errors.
  'src/console': { 'src/cds': 'any', 'src/config': 'any', 'src/http': 'any' },
  'src/ops': { 'src/store': 'any', 'src/config': 'any', 'src/http': 'any' },
  // Operator commands (`npm run check-config`, `hash-password`): entry points like main.ts, each exempt below.
  'src/cli': {},
  hooks: { 'src/cds': 'types', 'src/fhir': 'types' },
};

/** Files that may import any folder: bootstrap only (the server's, and the operator commands' in src/cli/). */
const BOOTSTRAP = new Set(['src/main.ts', 'src/app.module.ts', 'src/configure-app.ts', 'src/cli/check-config.ts', 'src/cli/hash-password.ts']);

function files(dir: string): string[] {
  if (!statSync(dir, { throwIfNoEntry: false })?.isDirectory()) return [];
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return name === 'node_modules' || name === 'data' ? [] : files(path);
    return /\.(ts|js|mjs)$/.test(name) && !name.endsWith('.spec.ts') ? [path] : [];
  });
}

interface Import {
  from: string;
  specifier: string;
  typeOnly: boolean;
}

function imports(file: string): Import[] {
  const text = readFileSync(file, 'utf8');
  const from = relative(root, file);
  const found: Import[] = [];
  for (const m of text.matchAll(/^\s*(import|export)\s+(type\s+)?([^'";]*?)from\s+['"]([^'"]+)['"]/gm)) {
    // `import { type A, type B }` is type-only too.
    const names = m[3] as string;
    const inlineTypesOnly = /^\{[^}]*\}\s*$/.test(names.trim()) && names.replace(/[{}\s]/g, '').split(',').filter(Boolean).every((n) => n.startsWith('type'));
    found.push({ from, specifier: m[4] as string, typeOnly: Boolean(m[2]) || inlineTypesOnly });
  }
  for (const m of text.matchAll(/^\s*import\s+['"]([^'"]+)['"]/gm)) found.push({ from, specifier: m[1] as string, typeOnly: false });
  for (const m of text.matchAll(/import\(\s*['"]([^'"]+)['"]\s*\)/g)) found.push({ from, specifier: m[1] as string, typeOnly: false });
  return found;
}

/** The repository path an import resolves to, or undefined for a package. */
function target(i: Import): string | undefined {
  if (!i.specifier.startsWith('.')) return undefined;
  return relative(root, resolve(root, dirname(i.from), i.specifier));
}

/** The allow-list folder a repository path belongs to (`src/fhir/server/x.ts` → `src/fhir`). */
function folderOf(path: string): string | undefined {
  const [top, second] = path.split('/');
  if (top === 'hooks') return 'hooks';
  if (top === 'src' && second !== undefined && !second.includes('.')) return `src/${second}`;
  return undefined;
}

function violations(): string[] {
  const sources = [...files(join(root, 'src')), ...files(join(root, 'hooks'))];
  return sources.flatMap((file) =>
    imports(file).flatMap((i) => {
      const to = target(i);
      if (to === undefined || BOOTSTRAP.has(i.from)) return [];
      const own = folderOf(i.from);
      const other = folderOf(to);
      if (own === undefined) return [`${i.from}: a file outside the allow-list's folders`];
      if (other === undefined) return [`${i.from} → ${i.specifier}: not a folder of the allow-list`];
      if (other === own) return [];
      const use = ALLOWED[own]?.[other];
      if (use === 'any' || (use === 'types' && i.typeOnly)) return [];
      return [`${i.from} → ${i.specifier}${use === 'types' ? ' (types only)' : ''}`];
    }),
  );
}

describe('architecture', () => {
  it('every folder of src/ is in the allow-list (DESIGN.md § Architecture)', () => {
    const folders = readdirSync(join(root, 'src')).filter((n) => statSync(join(root, 'src', n)).isDirectory());
    expect(folders.filter((f) => !(`src/${f}` in ALLOWED))).toEqual([]);
  });

  it('every import between folders is on the allow-list', () => {
    expect(violations()).toEqual([]);
  });

  it('src/scopes imports no package either: it is pure', () => {
    const bad = files(join(root, 'src/scopes'))
      .flatMap(imports)
      .filter((i) => target(i) === undefined);
    expect(bad).toEqual([]);
  });

  it('hooks/ imports no package: its knowledge and checks are pure', () => {
    const bad = files(join(root, 'hooks'))
      .flatMap(imports)
      .filter((i) => target(i) === undefined && !i.typeOnly);
    expect(bad).toEqual([]);
  });
});

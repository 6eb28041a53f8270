import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

// DESIGN.md § Architecture: the arrows point down. A forbidden edge fails here, not in review.
const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');

function files(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return name === 'node_modules' || name === 'data' ? [] : files(path);
    return name.endsWith('.ts') && !name.endsWith('.spec.ts') ? [path] : [];
  });
}

interface Import {
  from: string;
  specifier: string;
  typeOnly: boolean;
}

function imports(file: string): Import[] {
  const text = readFileSync(file, 'utf8');
  const found: Import[] = [];
  for (const m of text.matchAll(/^\s*(import|export)\s+(type\s+)?[^'";]*?from\s+['"]([^'"]+)['"]/gm)) {
    found.push({ from: relative(root, file), specifier: m[3] as string, typeOnly: Boolean(m[2]) });
  }
  for (const m of text.matchAll(/^\s*import\s+['"]([^'"]+)['"]/gm)) found.push({ from: relative(root, file), specifier: m[1] as string, typeOnly: false });
  for (const m of text.matchAll(/import\(\s*['"]([^'"]+)['"]\s*\)/g)) found.push({ from: relative(root, file), specifier: m[1] as string, typeOnly: false });
  return found;
}

/** The repository path an import resolves to, or the package name for bare specifiers. */
function target(i: Import): string {
  if (!i.specifier.startsWith('.')) return i.specifier;
  return relative(root, resolve(root, dirname(i.from), i.specifier));
}

const all = (dir: string) => files(join(root, dir)).flatMap(imports);

describe('architecture', () => {
  it('src/scopes imports nothing but itself (no Nest, no node:*, no other folder)', () => {
    const bad = all('src/scopes').filter((i) => !target(i).startsWith('src/scopes/'));
    expect(bad).toEqual([]);
  });

  it('hooks/ imports only types from src/cds', () => {
    const bad = all('hooks').filter((i) => {
      const t = target(i);
      if (t.startsWith('hooks/')) return false;
      return !(i.typeOnly && t.startsWith('src/cds/'));
    });
    expect(bad).toEqual([]);
  });

  it('src/smart never imports src/cds or hooks/', () => {
    const bad = all('src/smart').filter((i) => /^(src\/cds\/|hooks\/)/.test(target(i)));
    expect(bad).toEqual([]);
  });

  it('only src/cds reads the service list in hooks/', () => {
    const bad = all('src').filter((i) => target(i).startsWith('hooks/') && !i.from.startsWith('src/cds/'));
    expect(bad).toEqual([]);
  });
});

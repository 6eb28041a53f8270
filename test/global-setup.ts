import { execFileSync, spawnSync } from 'node:child_process';
import { chownSync, existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TestProject } from 'vitest/node';

declare module 'vitest' {
  export interface ProvidedContext {
    pgUrl: string;
  }
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer().listen(0, '127.0.0.1', () => {
      const { port } = s.address() as { port: number };
      s.close(() => resolve(port));
    });
    s.on('error', reject);
  });
}

function findPgBin(): string | undefined {
  const root = '/usr/lib/postgresql';
  if (!existsSync(root)) return undefined;
  const versions = readdirSync(root).sort((a, b) => Number(b) - Number(a));
  return versions.map((v) => join(root, v, 'bin')).find((d) => existsSync(join(d, 'initdb')));
}

/**
 * Starts a throwaway PostgreSQL server on loopback for the PostgreSQL suite, unless
 * HOOKWARDEN_TEST_PG_URL points at one already. As root, the server runs as the `postgres` user.
 */
export default async function setup(project: TestProject): Promise<(() => void) | undefined> {
  const given = process.env.HOOKWARDEN_TEST_PG_URL;
  if (given) {
    project.provide('pgUrl', given);
    return undefined;
  }
  const bin = findPgBin();
  if (!bin) {
    if (process.env.CI) throw new Error('PostgreSQL is not installed (.ci/run installs it with apt)');
    project.provide('pgUrl', '');
    return undefined;
  }
  const dir = mkdtempSync(join(tmpdir(), 'hookwarden-pg-'));
  const asRoot = process.getuid?.() === 0;
  const run = (cmd: string, args: string[]) =>
    asRoot ? execFileSync('runuser', ['-u', 'postgres', '--', join(bin, cmd), ...args], { stdio: 'pipe' }) : execFileSync(join(bin, cmd), args, { stdio: 'pipe' });
  if (asRoot) chownSync(dir, Number(execFileSync('id', ['-u', 'postgres']).toString().trim()), 0);
  const port = await freePort();
  const data = join(dir, 'data');
  run('initdb', ['-D', data, '-U', 'hookwarden', '--auth=trust']);
  run('pg_ctl', ['-D', data, '-l', join(dir, 'log'), '-w', '-o', `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1 -c fsync=off`, 'start']);
  run('createdb', ['-h', '127.0.0.1', '-p', String(port), '-U', 'hookwarden', 'hookwarden_test']);
  project.provide('pgUrl', `postgres://hookwarden@127.0.0.1:${port}/hookwarden_test`);
  return () => {
    const args = ['-D', data, '-m', 'fast', 'stop'];
    if (asRoot) spawnSync('runuser', ['-u', 'postgres', '--', join(bin, 'pg_ctl'), ...args]);
    else spawnSync(join(bin, 'pg_ctl'), args);
    rmSync(dir, { recursive: true, force: true });
  };
}

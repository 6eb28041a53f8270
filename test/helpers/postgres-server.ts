import { execFile, execFileSync, spawnSync } from 'node:child_process';
import { chownSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';

const execFileAsync = promisify(execFile);

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer().listen(0, '127.0.0.1', () => {
      const { port } = s.address() as { port: number };
      s.close(() => resolve(port));
    });
    s.on('error', reject);
  });
}

/** The newest installed PostgreSQL's bin directory, if any. */
export function findPgBin(): string | undefined {
  const root = '/usr/lib/postgresql';
  if (!existsSync(root)) return undefined;
  const versions = readdirSync(root).sort((a, b) => Number(b) - Number(a));
  return versions.map((v) => join(root, v, 'bin')).find((d) => existsSync(join(d, 'initdb')));
}

/** A throwaway PostgreSQL server on loopback that the caller owns: it may stop, restart and freeze it. */
export interface PostgresServer {
  /** The URL of the `hookwarden_test` database on it. */
  url: string;
  /** pg_ctl start, waiting until it accepts connections; the caller's event loop keeps running meanwhile. */
  start(): Promise<void>;
  /** pg_ctl stop in `mode` (fast: active connections are terminated with 57P01), waiting until it is down. */
  stop(mode?: 'fast' | 'immediate'): Promise<void>;
  /** SIGSTOP (freeze) or SIGCONT (thaw) the postmaster and every backend: a server that accepts TCP connections and never answers. */
  signal(sig: 'SIGSTOP' | 'SIGCONT'): void;
  /** Stops the server and removes its files. */
  destroy(): void;
}

/** Starts a throwaway PostgreSQL server from `bin` on a free port; as root it runs as the `postgres` user. */
export async function startPostgresServer(bin: string): Promise<PostgresServer> {
  const dir = mkdtempSync(join(tmpdir(), 'hookwarden-pg-'));
  const asRoot = process.getuid?.() === 0;
  const command = (cmd: string, args: string[]): [string, string[]] => (asRoot ? ['runuser', ['-u', 'postgres', '--', join(bin, cmd), ...args]] : [join(bin, cmd), args]);
  const run = async (cmd: string, args: string[]) => {
    await execFileAsync(...command(cmd, args));
  };
  if (asRoot) chownSync(dir, Number(execFileSync('id', ['-u', 'postgres']).toString().trim()), 0);
  const port = await freePort();
  const data = join(dir, 'data');
  await run('initdb', ['-D', data, '-U', 'hookwarden', '--auth=trust']);
  const start = () => run('pg_ctl', ['-D', data, '-l', join(dir, 'log'), '-w', '-o', `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1 -c fsync=off`, 'start']);
  await start();
  await run('createdb', ['-h', '127.0.0.1', '-p', String(port), '-U', 'hookwarden', 'hookwarden_test']);
  const processes = (): number[] => {
    const postmaster = Number(readFileSync(join(data, 'postmaster.pid'), 'utf8').split('\n')[0]);
    const children = spawnSync('ps', ['-o', 'pid=', '--ppid', String(postmaster)]).stdout.toString().split(/\s+/).filter(Boolean).map(Number);
    return [postmaster, ...children];
  };
  return {
    url: `postgres://hookwarden@127.0.0.1:${port}/hookwarden_test`,
    start,
    stop: (mode = 'fast') => run('pg_ctl', ['-D', data, '-m', mode, '-w', 'stop']),
    signal(sig) {
      // The postmaster first on SIGSTOP, so it forks no backend after the list is read.
      const pids = processes();
      for (const pid of sig === 'SIGSTOP' ? pids : pids.toReversed()) process.kill(pid, sig);
    },
    destroy() {
      // A server left frozen by a failed test would not act on the stop.
      if (existsSync(join(data, 'postmaster.pid'))) for (const pid of processes()) spawnSync('kill', ['-CONT', String(pid)]);
      spawnSync(...command('pg_ctl', ['-D', data, '-m', 'immediate', '-w', 'stop']));
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { closeSync, openSync, readFileSync } from 'node:fs';
import { connect, createServer } from 'node:net';
import { availableParallelism } from 'node:os';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import { track } from './cleanup.js';

/** The repository root (test/bench/lib → ../../..). */
export const ROOT = fileURLToPath(new URL('../../../', import.meta.url));

/** The server under test and its database get core 0; the load generator gets core 1. */
export const SERVER_CORE = 0;
export const LOAD_CORE = 1;

/** Pinning needs taskset and two cores; without them every process floats and the table says so. */
export const PINNED = availableParallelism() >= 2 && spawnSync('taskset', ['-c', '0', 'true']).status === 0;

/** Node arguments that run a TypeScript entry of the bench (tsx transpiles it, decorators included). */
export function tsEntry(path: string): string[] {
  return ['--import', 'tsx', fileURLToPath(new URL(path, import.meta.url))];
}

export interface Started {
  name: string;
  child: ChildProcess;
  /** Resolves with the exit code (or signal name) once the process has gone. */
  exited: Promise<number | string>;
  /** SIGTERM, then SIGKILL after `graceMs`; resolves when the process has gone. */
  stop(graceMs?: number): Promise<void>;
  /** The process's output so far, when it was sent to a log file. */
  log(): string;
}

export interface StartOptions {
  /** A core, or a taskset list such as "0,1" (one process given both cores). */
  core?: number | string;
  /** Added to this process's environment; an undefined value removes the variable. */
  env?: Record<string, string | undefined>;
  /** stdout and stderr go to this file (read back on failure); else they are inherited. */
  logFile?: string;
  /** Opens an IPC channel (for node children that exchange one message each way). */
  ipc?: boolean;
}

/** Starts `node args…` pinned to `core` (one, or a list) when pinning is available, tracked for cleanup. */
export function startNode(name: string, args: string[], opts: StartOptions = {}): Started {
  const command = PINNED && opts.core !== undefined ? ['taskset', '-c', String(opts.core), process.execPath, ...args] : [process.execPath, ...args];
  const out = opts.logFile ? openSync(opts.logFile, 'a') : 'inherit';
  const env = Object.fromEntries(Object.entries({ ...process.env, ...opts.env }).filter(([, v]) => v !== undefined));
  const child = spawn(command[0], command.slice(1), {
    cwd: ROOT,
    env,
    stdio: ['ignore', out, out, ...(opts.ipc ? (['ipc'] as const) : [])],
  });
  if (typeof out === 'number') closeSync(out);
  const exited = new Promise<number | string>((resolve) => child.once('exit', (code, signal) => resolve(code ?? signal ?? 'unknown')));
  const gone = () => child.exitCode !== null || child.signalCode !== null;
  const stop = async (graceMs = 5000) => {
    if (gone()) return;
    child.kill('SIGTERM');
    if ((await Promise.race([exited, sleep(graceMs, 'timeout')])) === 'timeout') {
      child.kill('SIGKILL');
      await exited;
    }
  };
  const release = track(stop, () => {
    if (!gone()) child.kill('SIGKILL');
  });
  void exited.then(release);
  return { name, child, exited, stop: release, log: () => (opts.logFile ? readFileSync(opts.logFile, 'utf8') : '') };
}

/** A port free on loopback right now. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
    server.on('error', reject);
  });
}

function accepts(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1');
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}

/** Waits until `port` accepts connections; fails with the process's log if it exits or takes too long. */
export async function waitForPort(started: Started, port: number, timeoutMs = 120_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let exit: number | string | undefined;
  void started.exited.then((code) => (exit = code));
  while (Date.now() < deadline) {
    if (exit !== undefined) throw new Error(`${started.name} exited (${exit}) before listening on ${port}:\n${started.log().slice(-4000)}`);
    if (await accepts(port)) return;
    await sleep(100);
  }
  throw new Error(`${started.name} did not listen on ${port} within ${timeoutMs / 1000} s:\n${started.log().slice(-4000)}`);
}

/**
 * Runs a bench worker (a TypeScript entry under test/bench/workers) in its own pinned process:
 * sends it `input`, resolves with the one message it answers, and waits for it to exit.
 */
export async function runWorker<I, O>(name: string, entry: string, input: I, core: number): Promise<O> {
  const worker = startNode(name, tsEntry(entry), { core, ipc: true });
  const answer = new Promise<O>((resolve, reject) => {
    worker.child.once('message', (m: { ok: true; value: O } | { ok: false; error: string }) => (m.ok ? resolve(m.value) : reject(new Error(`${name}: ${m.error}`))));
    void worker.exited.then((code) => reject(new Error(`${name} exited (${code}) without an answer`)));
  });
  worker.child.send(input as object);
  try {
    return await answer;
  } finally {
    await worker.stop();
  }
}

function reply(message: object): void {
  process.send!(message, () => process.disconnect());
}

/** The worker side of runWorker: answers the one message it receives with `work(input)`. */
export function serveWorker<I, O>(work: (input: I) => Promise<O>): void {
  process.once('message', (input: I) => {
    work(input).then(
      (value) => reply({ ok: true, value }),
      (e: unknown) => reply({ ok: false, error: e instanceof Error ? (e.stack ?? e.message) : String(e) }),
    );
  });
  // Answered, or the bench went away: either way nothing more is expected.
  process.once('disconnect', () => process.exit(0));
}

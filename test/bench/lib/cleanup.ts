import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * Everything the bench starts or creates registers here, so a normal end, an error and Ctrl-C all
 * leave no process and no temp dir behind. `graceful` runs on the normal and signal paths (it may
 * wait); `forced`, which must be synchronous, runs from the `exit` event for whatever is left,
 * including a resource whose graceful release is still under way.
 */
interface Resource {
  graceful: () => Promise<void> | void;
  forced: () => void;
  done?: Promise<void>;
}

const resources: Resource[] = [];

/** Releases one resource once, however many callers ask; it stays registered until released. */
function release(resource: Resource): Promise<void> {
  resource.done ??= (async () => {
    try {
      await resource.graceful();
    } catch (e) {
      console.error(`bench: cleanup step failed: ${(e as Error).message}`);
      resource.forced();
    } finally {
      const i = resources.indexOf(resource);
      if (i >= 0) resources.splice(i, 1);
    }
  })();
  return resource.done;
}

/** Registers a resource; the returned function releases it now. */
export function track(graceful: Resource['graceful'], forced: Resource['forced'] = () => undefined): () => Promise<void> {
  const resource: Resource = { graceful, forced };
  resources.push(resource);
  return () => release(resource);
}

/** Releases everything still registered, newest first (servers before the database under them). */
export async function releaseAll(): Promise<void> {
  while (resources.length > 0) await release(resources.at(-1)!);
}

/** A temp dir, removed by `release` or, at the latest, when the bench ends. */
export function tempDir(prefix: string): { dir: string; release: () => Promise<void> } {
  const dir = mkdtempSync(join(tmpdir(), `hookwarden-bench-${prefix}-`));
  const remove = () => rmSync(dir, { recursive: true, force: true });
  return { dir, release: track(remove, remove) };
}

let interrupted = false;

/** True once a signal asked the bench to stop: failures after that are the interruption's, not the bench's. */
export function isInterrupted(): boolean {
  return interrupted;
}

function onSignal(signal: NodeJS.Signals): void {
  if (interrupted) {
    console.error('bench: second signal, killing what is left');
    process.exit();
  }
  interrupted = true;
  process.exitCode = signal === 'SIGINT' ? 130 : 143;
  console.error(`\nbench: ${signal}, stopping every process it started (again to kill them at once)…`);
  void releaseAll().finally(() => process.exit());
}

/** Installs the signal and exit handlers once, before anything is started. */
export function installCleanupHandlers(): void {
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) process.on(signal, onSignal);
  process.on('exit', () => {
    for (const resource of resources.toReversed()) resource.forced();
  });
}

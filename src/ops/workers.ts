import cluster, { type Worker } from 'node:cluster';
import type { LoggerService } from '@nestjs/common';
import { AggregatorRegistry, Registry } from 'prom-client';

/** How long the primary waits for workers to drain on SIGTERM before it stops them hard. */
const SHUTDOWN_GRACE_MS = 30_000;
/** IPC message a worker sends to ask the primary for every worker's metrics. */
export const METRICS_REQUEST = 'hookwarden:metrics-request';
export const METRICS_RESPONSE = 'hookwarden:metrics-response';

/**
 * The primary of `WORKERS=N`: forks N workers that share the one listening port (node:cluster
 * hands connections round-robin), replaces a worker that dies, and on SIGTERM/SIGINT tells every
 * worker to drain and waits for them. It opens no database and serves no request itself.
 */
export function superviseWorkers(count: number, logger: LoggerService): void {
  let stopping = false;
  const started = new Map<number, number>();
  const listening = new Set<number>();
  const aggregator = new AggregatorRegistry<typeof Registry.PROMETHEUS_CONTENT_TYPE>();

  const fork = (): void => {
    const worker = cluster.fork();
    started.set(worker.id, Date.now());
    worker.once('listening', () => listening.add(worker.id));
    worker.on('message', (m: unknown) => void answerMetrics(worker, m, aggregator));
  };

  cluster.on('exit', (worker, code, signal) => {
    const uptime = Date.now() - (started.get(worker.id) ?? 0);
    const served = listening.delete(worker.id);
    started.delete(worker.id);
    if (stopping) {
      if (started.size === 0) process.exit(0);
      return;
    }
    logger.error(`worker ${worker.process.pid} exited (${signal ?? code}) after ${uptime} ms`, undefined, 'Workers');
    // A worker that cannot even start (bad database, port taken) would otherwise be restarted forever.
    if (!served) {
      logger.error('worker died during start-up; stopping', undefined, 'Workers');
      stop(1);
      return;
    }
    fork();
  });

  const stop = (exitCode: number): void => {
    if (stopping) return;
    stopping = true;
    for (const worker of Object.values(cluster.workers ?? {})) worker?.process.kill('SIGTERM');
    setTimeout(() => {
      for (const worker of Object.values(cluster.workers ?? {})) worker?.process.kill('SIGKILL');
      process.exit(exitCode || 1);
    }, SHUTDOWN_GRACE_MS).unref();
    if (started.size === 0) process.exit(exitCode);
  };
  process.once('SIGTERM', () => stop(0));
  process.once('SIGINT', () => stop(0));

  for (let i = 0; i < count; i++) fork();
  logger.log(`primary ${process.pid} started ${count} workers`, 'Workers');
}

/** A worker's /metrics: every worker's registry, summed by prom-client's cluster aggregation. */
async function answerMetrics(worker: Worker, message: unknown, aggregator: AggregatorRegistry<typeof Registry.PROMETHEUS_CONTENT_TYPE>): Promise<void> {
  const m = message as { type?: unknown; id?: unknown } | null;
  if (m?.type !== METRICS_REQUEST) return;
  try {
    worker.send({ type: METRICS_RESPONSE, id: m.id, text: await aggregator.clusterMetrics() });
  } catch (e) {
    // A worker still starting does not answer yet: the scrape fails rather than report zeros.
    worker.send({ type: METRICS_RESPONSE, id: m.id, error: (e as Error).message });
  }
}

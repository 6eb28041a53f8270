import { randomUUID } from 'node:crypto';
import cluster from 'node:cluster';
import { Injectable, type OnModuleDestroy, type OnModuleInit } from '@nestjs/common';
import { AggregatorRegistry, collectDefaultMetrics, Counter, Histogram, Registry } from 'prom-client';
import { onTelemetry } from '../http/telemetry.js';
import { METRICS_REQUEST, METRICS_RESPONSE } from './workers.js';

/** How long a worker waits for the primary's sum of every worker's metrics. */
const CLUSTER_METRICS_TIMEOUT_MS = 5_000;

/** Seconds; a hook call is expected in milliseconds, prefetch fetches can take up to their budget. */
const LATENCY_BUCKETS = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5];
const BATCH_BUCKETS = [1, 2, 4, 8, 16, 32, 64, 128, 256, 512];

/**
 * The Prometheus metrics of one application (its own registry, so several applications in one
 * process never share counters), fed by the domains' telemetry events. Labels are service ids,
 * hook names, statuses, client ids and outcome codes: never a token, a patient or a clinical value.
 */
@Injectable()
export class MetricsService implements OnModuleInit, OnModuleDestroy {
  readonly registry = new Registry();
  private readonly stops: (() => void)[] = [];
  /** Under WORKERS=N: this worker's part in prom-client's cluster aggregation. */
  readonly clusterMember?: AggregatorRegistry<typeof Registry.PROMETHEUS_CONTENT_TYPE>;

  private readonly calls = new Counter({ name: 'hookwarden_cds_calls_total', help: 'CDS service calls answered, by service, hook and HTTP status', labelNames: ['service', 'hook', 'status'], registers: [this.registry] });
  private readonly latency = new Histogram({ name: 'hookwarden_cds_call_duration_seconds', help: 'Time to answer a CDS service call, by service and hook', labelNames: ['service', 'hook'], buckets: LATENCY_BUCKETS, registers: [this.registry] });
  private readonly cards = new Counter({ name: 'hookwarden_cds_cards_total', help: 'Cards sent, by service and indicator', labelNames: ['service', 'indicator'], registers: [this.registry] });
  private readonly fetches = new Counter({ name: 'hookwarden_prefetch_fetches_total', help: 'Prefetch keys fetched from the FHIR server, by service and outcome', labelNames: ['service', 'outcome'], registers: [this.registry] });
  private readonly dropped = new Counter({ name: 'hookwarden_prefetch_dropped_total', help: 'Prefetch resources dropped by the scope filter or as unreadable, by service', labelNames: ['service'], registers: [this.registry] });
  private readonly launches = new Counter({ name: 'hookwarden_smart_launches_total', help: 'SMART launches minted, by client', labelNames: ['client'], registers: [this.registry] });
  private readonly grants = new Counter({ name: 'hookwarden_smart_token_requests_total', help: 'Token endpoint requests, by grant type and outcome (ok or the OAuth error code)', labelNames: ['grant_type', 'outcome'], registers: [this.registry] });
  private readonly loginFailures = new Counter({ name: 'hookwarden_smart_login_failures_total', help: 'Failed logins at the authorization server', labelNames: ['reason'], registers: [this.registry] });
  private readonly batches = new Histogram({ name: 'hookwarden_store_batch_size', help: 'Rows of concurrent calls written in one statement (group commit), by table', labelNames: ['table'], buckets: BATCH_BUCKETS, registers: [this.registry] });

  constructor() {
    collectDefaultMetrics({ register: this.registry, prefix: 'hookwarden_' });
    if (cluster.isWorker) {
      // Constructing one installs prom-client's answer to the primary's aggregation requests.
      this.clusterMember = new AggregatorRegistry();
      AggregatorRegistry.setRegistries([this.registry]);
    }
  }

  onModuleInit(): void {
    this.stops.push(
      onTelemetry('cds.call', (e) => {
        this.calls.inc({ service: e.serviceId, hook: e.hook, status: String(e.status) });
        this.latency.observe({ service: e.serviceId, hook: e.hook }, e.seconds);
        for (const [indicator, n] of Object.entries(e.indicators)) this.cards.inc({ service: e.serviceId, indicator }, n);
        if (e.prefetchDropped > 0) this.dropped.inc({ service: e.serviceId }, e.prefetchDropped);
      }),
      onTelemetry('prefetch.fetch', (e) => this.fetches.inc({ service: e.serviceId, outcome: e.outcome })),
      onTelemetry('smart.launch', (e) => this.launches.inc({ client: e.clientId })),
      onTelemetry('smart.token', (e) => this.grants.inc({ grant_type: e.grantType, outcome: e.outcome })),
      onTelemetry('smart.login-failure', (e) => this.loginFailures.inc({ reason: e.reason })),
      onTelemetry('store.batch', (e) => this.batches.observe({ table: e.table }, e.size)),
    );
  }

  onModuleDestroy(): void {
    for (const stop of this.stops.splice(0)) stop();
  }

  /**
   * The exposition text (Prometheus text format 0.0.4). Under WORKERS=N a scrape reaches one worker,
   * which answers with every worker's metrics summed by the primary.
   */
  text(): Promise<string> {
    return cluster.isWorker && process.send ? clusterText() : this.registry.metrics();
  }
}

function clusterText(): Promise<string> {
  const id = randomUUID();
  return new Promise((resolve, reject) => {
    const onMessage = (m: { type?: unknown; id?: unknown; text?: unknown; error?: unknown } | null) => {
      if (m?.type !== METRICS_RESPONSE || m.id !== id) return;
      clearTimeout(timer);
      process.off('message', onMessage);
      if (m.error !== undefined) reject(new Error(`cluster metrics: ${String(m.error)}`));
      else resolve(String(m.text));
    };
    const timer = setTimeout(() => {
      process.off('message', onMessage);
      reject(new Error('the primary did not answer the metrics request'));
    }, CLUSTER_METRICS_TIMEOUT_MS);
    process.on('message', onMessage);
    process.send?.({ type: METRICS_REQUEST, id });
  });
}

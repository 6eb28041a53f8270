import { channel, type Channel } from 'node:diagnostics_channel';

/**
 * What the domains report for operations (metrics), as events on node:diagnostics_channel: a
 * domain publishes without knowing who listens, and ops/ subscribes, so no folder imports ops/.
 * Events carry ids, names and counts only: never a token, a patient or any clinical value.
 */
export interface TelemetryEvents {
  /** A service call answered (CDS Hooks §Calling a CDS Service). */
  'cds.call': { serviceId: string; hook: string; status: number; seconds: number; indicators: Record<string, number>; prefetchDropped: number };
  /** A prefetch template resolved by fetching from the FHIR server, and how it went. */
  'prefetch.fetch': { serviceId: string; outcome: 'ok' | 'failed' };
  /** A SMART launch minted for an app. */
  'smart.launch': { clientId: string };
  /** A token endpoint grant, by grant type and outcome (OAuth error code or `ok`). */
  'smart.token': { grantType: string; outcome: string };
  /** A failed login at the authorization server. */
  'smart.login-failure': { reason: string };
  /** A group commit wrote one batch to `table`. */
  'store.batch': { table: string; size: number };
}

export type TelemetryName = keyof TelemetryEvents;

const channels = new Map<TelemetryName, Channel>();

function channelFor(name: TelemetryName): Channel {
  let c = channels.get(name);
  if (!c) {
    c = channel(`hookwarden.${name}`);
    channels.set(name, c);
  }
  return c;
}

/** Publishes one event; free when nobody listens. */
export function emit<K extends TelemetryName>(name: K, event: TelemetryEvents[K]): void {
  const c = channelFor(name);
  if (c.hasSubscribers) c.publish(event);
}

/** Listens to one kind of event; returns the function that stops listening. */
export function onTelemetry<K extends TelemetryName>(name: K, listener: (event: TelemetryEvents[K]) => void): () => void {
  const c = channelFor(name);
  const handler = (message: unknown) => listener(message as TelemetryEvents[K]);
  c.subscribe(handler);
  return () => void c.unsubscribe(handler);
}

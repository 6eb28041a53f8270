import type { AppConfig, SmartClientConfig } from '../config/app-config.js';
import { ConfigError } from '../config/config-error.js';
import type { ServiceSettings } from '../config/config.schema.js';
import type { ServiceApp, ServiceDefinition } from './cds-types.js';

/** Where the host serves a service app's static files. */
export function appMount(clientId: string): string {
  return `/apps/${clientId}/`;
}

/** The apps the services ship, each once (the services of one knowledge base share theirs). */
export function serviceApps(defs: readonly ServiceDefinition[]): ServiceApp[] {
  const byClient = new Map<string, ServiceApp>();
  for (const def of defs) if (def.app !== undefined && !byClient.has(def.app.clientId)) byClient.set(def.app.clientId, def.app);
  return [...byClient.values()];
}

/** A service app as a SMART client of the embedded authorization server, served by this host. */
function appClient(app: ServiceApp, publicUrl: string): SmartClientConfig {
  const base = `${publicUrl}${appMount(app.clientId)}`;
  return {
    clientId: app.clientId,
    name: app.name,
    launchUrl: new URL(app.launchPath, base).href,
    redirectUris: [new URL(app.redirectPath, base).href],
    scope: app.scope,
    // A static browser app keeps no secret (SMART app-launch.md: public client, PKCE).
    auth: 'none',
    autoApprove: app.autoApprove ?? false,
    writableTypes: app.writableTypes ?? [],
  };
}

/**
 * `config` with every service app registered as a SMART client, except an app whose clientId the
 * operator registered: that entry (an app hosted elsewhere, say) wins (DESIGN.md configuration contract).
 */
export function withServiceApps(config: AppConfig, defs: readonly ServiceDefinition[]): AppConfig {
  const groups = new Set(defs.flatMap((d) => (d.configKey === undefined ? [] : [d.configKey])));
  const unknown = Object.keys(config.hooks).filter((key) => !groups.has(key));
  if (unknown.length) {
    throw new ConfigError(
      config.configPath ?? 'demo configuration',
      unknown.map((key) => `hooks.${key}: no served service group has this name (known: ${[...groups].join(', ') || 'none'})`),
    );
  }
  const registered = new Set(config.smartClients.map((c) => c.clientId));
  const added = serviceApps(defs)
    .filter((app) => !registered.has(app.clientId))
    .map((app) => appClient(app, config.publicUrl));
  return added.length === 0 ? config : { ...config, smartClients: [...config.smartClients, ...added] };
}

/** The settings of a service's group under `hooks:`, with their defaults when the file has none. */
export function serviceSettings(config: Pick<AppConfig, 'hooks'>, def: Pick<ServiceDefinition, 'configKey'>): ServiceSettings {
  return (def.configKey === undefined ? undefined : config.hooks[def.configKey]) ?? { appLaunch: 'hookwarden' };
}

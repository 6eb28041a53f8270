import type { DatabaseConfig, EhrConfig, FileConfig, IdentityProviderConfig, LimitsConfig, SmartClientConfig, UserConfig } from './config.schema.js';
import type { DemoEhrKey, DemoResource } from './demo.js';

/** The one typed configuration object, built once at boot by `loadConfig`. */
export interface AppConfig extends Omit<FileConfig, 'ehrs' | 'smartClients' | 'users'> {
  port: number;
  /** Public base URL without a trailing slash; every `aud` and absolute URL is derived from it. */
  publicUrl: string;
  databaseUrl?: string;
  dataDir: string;
  /** Processes serving `port` (WORKERS); absent means 1. */
  workers?: number;
  /** Least level of the JSON log lines (LOG_LEVEL); absent means `info`. */
  logLevel?: 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace';
  /** Where the file came from; undefined = built-in demo configuration. */
  configPath?: string;
  ehrs: EhrConfig[];
  smartClients: SmartClientConfig[];
  users: UserConfig[];
  /** FHIR records seeded into the /fhir store at boot: the demo configuration's, else none. */
  demoResources?: DemoResource[];
  /** The demo configuration's simulated EHR key: present only there, and it switches on the demo EHR console at `/`. */
  demoEhrKey?: DemoEhrKey;
}

/** Injection token for AppConfig. */
export const APP_CONFIG = Symbol('APP_CONFIG');

export type { DatabaseConfig, DemoResource, EhrConfig, IdentityProviderConfig, LimitsConfig, SmartClientConfig, UserConfig };

/** Whether a card link launches only for the signed-in user the hook named: as configured, else on whenever anyone can sign in. */
export function linkUserBinding(c: Pick<AppConfig, 'links' | 'users' | 'identityProviders'>): boolean {
  return c.links.userBinding ?? (c.users.length > 0 || c.identityProviders.length > 0);
}

/** The FHIR base every SMART `iss`/`aud` names; the authorization server's issuer is this same URL. */
export const urls = {
  fhirBase: (c: Pick<AppConfig, 'publicUrl'>) => `${c.publicUrl}/fhir`,
};

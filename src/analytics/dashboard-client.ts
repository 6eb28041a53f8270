import type { AppConfig, SmartClientConfig } from '../config/app-config.js';
import { ANALYTICS_SCOPE } from './access.js';

/** The dashboard's client id at the embedded authorization server. */
export const DASHBOARD_CLIENT_ID = 'analytics-dashboard';
/** Where Hookwarden serves the dashboard; also its redirect URI. */
export const DASHBOARD_PATH = '/analytics/';

/**
 * DESIGN.md §Analytics contract: the dashboard is a public PKCE client of the embedded server (a
 * static browser app keeps no secret), asking only to know who signed in and to read analytics.
 * Approved without a consent page: it is this server's own page, and reading needs the analyst role.
 */
export function dashboardClient(publicUrl: string): SmartClientConfig {
  return {
    clientId: DASHBOARD_CLIENT_ID,
    name: 'Hookwarden analytics',
    redirectUris: [`${publicUrl}${DASHBOARD_PATH}`],
    scope: `openid fhirUser ${ANALYTICS_SCOPE}`,
    auth: 'none',
    autoApprove: true,
    writableTypes: [],
  };
}

/** `config` with the dashboard registered, unless the operator registered its client id: that entry wins. */
export function withDashboardClient(config: AppConfig): AppConfig {
  if (config.smartClients.some((c) => c.clientId === DASHBOARD_CLIENT_ID)) return config;
  return { ...config, smartClients: [...config.smartClients, dashboardClient(config.publicUrl)] };
}

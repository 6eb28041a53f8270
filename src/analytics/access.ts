import type { SmartClientConfig, UserConfig } from '../config/app-config.js';
import { InsufficientScope } from './analytics-errors.js';

/** The scope every analytics API call needs (DESIGN.md §Analytics contract). */
export const ANALYTICS_SCOPE = 'analytics.read';

/** What of a verified access token the analytics access decision reads. */
export interface AnalyticsCaller {
  scope: string;
  /** `backend` = client_credentials (SMART backend-services.md); otherwise a user signed in. */
  kind: 'ehr' | 'standalone' | 'backend';
  clientId: string;
  fhirUser?: string;
}

const words = (scope: string): string[] => scope.split(/\s+/).filter(Boolean);

/** RFC 6750 §3.1: the token was granted `analytics.read`. */
export function hasAnalyticsScope(scope: string): boolean {
  return words(scope).includes(ANALYTICS_SCOPE);
}

/** DESIGN.md: a user token reads analytics only for a user whose every `users[]` entry with that fhirUser has role `analyst`. */
export function isAnalyst(fhirUser: string | undefined, users: readonly Pick<UserConfig, 'fhirUser' | 'roles'>[]): boolean {
  const entries = users.filter((u) => fhirUser !== undefined && u.fhirUser === fhirUser);
  return entries.length > 0 && entries.every((u) => u.roles.includes('analyst'));
}

/** DESIGN.md: a backend client (client_credentials, e.g. a BI tool) reads analytics when it is registered with the scope. */
export function isAnalyticsClient(clientId: string, clients: readonly Pick<SmartClientConfig, 'clientId' | 'scope'>[]): boolean {
  const client = clients.find((c) => c.clientId === clientId);
  return client !== undefined && hasAnalyticsScope(client.scope);
}

/**
 * May this caller read analytics? Throws InsufficientScope (403) when not; the guard has already
 * answered 401 for a missing or invalid token.
 */
export function checkAnalyticsAccess(
  caller: AnalyticsCaller,
  config: { users: readonly Pick<UserConfig, 'fhirUser' | 'roles'>[]; smartClients: readonly Pick<SmartClientConfig, 'clientId' | 'scope'>[] },
): void {
  if (!hasAnalyticsScope(caller.scope)) throw new InsufficientScope(`the token lacks ${ANALYTICS_SCOPE}`);
  if (caller.kind === 'backend') {
    if (!isAnalyticsClient(caller.clientId, config.smartClients)) throw new InsufficientScope(`the client is not registered for ${ANALYTICS_SCOPE}`);
    return;
  }
  if (!isAnalyst(caller.fhirUser, config.users)) throw new InsufficientScope('the user does not have the analyst role');
}

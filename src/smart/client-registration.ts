import type { SmartClientConfig } from '../config/app-config.js';

const LOOPBACK = new Set(['127.0.0.1', '[::1]', 'localhost']);

/**
 * RFC 9700 §2.6 / §4.1 (A15): redirect URIs must be https, except loopback (native apps) and our own
 * origin (the bundled app is served by Hookwarden, so it is as secure as the server itself).
 * Returns one message per offending URI, empty when every client is acceptable.
 */
export function registrationProblems(clients: readonly SmartClientConfig[], publicUrl: string): string[] {
  const own = new URL(publicUrl).origin;
  return clients.flatMap((c) =>
    c.redirectUris
      .filter((uri) => {
        const url = new URL(uri);
        return url.protocol !== 'https:' && !LOOPBACK.has(url.hostname) && url.origin !== own;
      })
      .map((uri) => `smartClients.${c.clientId}.redirectUris: ${uri} must use https (or a loopback address)`),
  );
}

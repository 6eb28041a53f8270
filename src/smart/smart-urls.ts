import { type AppConfig, urls } from '../config/app-config.js';

/** Every absolute URL of the authorization server (SMART conformance.md: "SHALL be absolute URLs"). */
export interface SmartUrls {
  fhirBase: string;
  issuer: string;
  authorize: string;
  interaction: string;
  token: string;
  introspect: string;
  revoke: string;
  jwks: string;
  style: string;
  /** OIDC RP-Initiated Logout 1.0 `end_session_endpoint`. */
  endSession: string;
}

/** Derives the SMART endpoint URLs from the configured public URL; the issuer is the FHIR base. */
export function smartUrls(config: Pick<AppConfig, 'publicUrl'>): SmartUrls {
  const auth = `${config.publicUrl}/auth`;
  return {
    fhirBase: urls.fhirBase(config),
    issuer: urls.fhirBase(config),
    authorize: `${auth}/authorize`,
    interaction: `${auth}/interaction`,
    token: `${auth}/token`,
    introspect: `${auth}/introspect`,
    revoke: `${auth}/revoke`,
    jwks: `${auth}/jwks`,
    style: `${auth}/smart-style.json`,
    endSession: `${auth}/logout`,
  };
}

/** Origins of the registered redirect URIs: the only origins allowed CORS on token and FHIR REST (SMART app-launch.md). */
export function clientOrigins(config: Pick<AppConfig, 'smartClients'>): Set<string> {
  return new Set(config.smartClients.flatMap((c) => c.redirectUris.map((u) => new URL(u).origin)));
}

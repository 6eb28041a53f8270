import { ACR_VALUES, OVERRIDE_DETAILS_TYPE } from './override/override-types.js';
import type { SmartUrls } from './smart-urls.js';

/**
 * Extension scope (SMART scopes-and-launch-context.md: `__` prefix) that lets a bearer token call the
 * introspection endpoint for tokens of any client (SMART token-introspection.md "appropriately-scoped").
 */
export const INTROSPECT_SCOPE = '__introspect';

/** Scopes we advertise; SMART conformance.md: "The server SHALL support all scopes listed here". */
export const SCOPES_SUPPORTED = [
  'openid',
  'fhirUser',
  'launch',
  'launch/patient',
  'offline_access',
  'online_access',
  'patient/*.rs',
  'patient/*.cruds',
  'patient/*.read',
  'user/*.rs',
  'user/*.cruds',
  'user/*.read',
  'system/*.rs',
  INTROSPECT_SCOPE,
] as const;

/** SMART 2.2 conformance.md "Capabilities": what this server actually implements. */
export const CAPABILITIES = [
  'launch-ehr',
  'launch-standalone',
  'authorize-post',
  'client-public',
  'client-confidential-symmetric',
  'client-confidential-asymmetric',
  'sso-openid-connect',
  'context-banner',
  'context-style',
  'context-ehr-patient',
  'context-ehr-encounter',
  'context-standalone-patient',
  'permission-offline',
  'permission-online',
  'permission-patient',
  'permission-user',
  'permission-v1',
  'permission-v2',
] as const;

/** SMART client-confidential-asymmetric.md: servers SHALL support at least one of RS384/ES384. */
export const CLIENT_ASSERTION_ALGS = ['RS384', 'ES384'] as const;

/** RFC 9396 §10 / RFC 9470 §5: the step-up override's authorization details type and `acr` values. */
const OVERRIDE_METADATA = {
  authorization_details_types_supported: [OVERRIDE_DETAILS_TYPE],
  acr_values_supported: [ACR_VALUES.confirm, ACR_VALUES.reauthenticate],
};

/** `GET {fhirBase}/.well-known/smart-configuration` (SMART conformance.md; RFC 9207 §3). */
export function smartConfiguration(u: SmartUrls): Record<string, unknown> {
  return {
    issuer: u.issuer,
    jwks_uri: u.jwks,
    authorization_endpoint: u.authorize,
    token_endpoint: u.token,
    introspection_endpoint: u.introspect,
    revocation_endpoint: u.revoke,
    grant_types_supported: ['authorization_code', 'client_credentials', 'refresh_token'],
    token_endpoint_auth_methods_supported: ['none', 'client_secret_basic', 'private_key_jwt'],
    token_endpoint_auth_signing_alg_values_supported: [...CLIENT_ASSERTION_ALGS],
    scopes_supported: [...SCOPES_SUPPORTED],
    response_types_supported: ['code'],
    code_challenge_methods_supported: ['S256'],
    capabilities: [...CAPABILITIES],
    authorization_response_iss_parameter_supported: true,
    ...OVERRIDE_METADATA,
  };
}

/** `GET {issuer}/.well-known/openid-configuration` (OIDC Discovery 1.0 §3; fields Inferno requires). */
export function openidConfiguration(u: SmartUrls): Record<string, unknown> {
  return {
    issuer: u.issuer,
    authorization_endpoint: u.authorize,
    token_endpoint: u.token,
    jwks_uri: u.jwks,
    introspection_endpoint: u.introspect,
    revocation_endpoint: u.revoke,
    // OIDC RP-Initiated Logout 1.0 §2.1: ends the authorization server's sign-in session.
    end_session_endpoint: u.endSession,
    response_types_supported: ['code'],
    subject_types_supported: ['public'],
    id_token_signing_alg_values_supported: ['RS256'],
    scopes_supported: [...SCOPES_SUPPORTED],
    grant_types_supported: ['authorization_code', 'client_credentials', 'refresh_token'],
    code_challenge_methods_supported: ['S256'],
    token_endpoint_auth_methods_supported: ['none', 'client_secret_basic', 'private_key_jwt'],
    token_endpoint_auth_signing_alg_values_supported: [...CLIENT_ASSERTION_ALGS],
    claims_supported: ['iss', 'sub', 'aud', 'exp', 'iat', 'nonce', 'fhirUser'],
    authorization_response_iss_parameter_supported: true,
    ...OVERRIDE_METADATA,
  };
}

/** The SMART Style document behind `smart_style_url` (SMART scopes-and-launch-context.md, "Styling"). */
export const SMART_STYLE = {
  color_background: '#f6f7f9',
  color_error: '#b3261e',
  color_highlight: '#0b6e4f',
  color_modal_backdrop: 'rgba(0, 0, 0, 0.4)',
  color_success: '#1e7d32',
  color_text: '#1c1f23',
  dim_border_radius: '4px',
  dim_font_size: '14px',
  dim_spacing_size: '16px',
  font_family_body: 'system-ui, sans-serif',
  font_family_heading: 'system-ui, sans-serif',
} as const;

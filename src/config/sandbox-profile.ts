import type { EhrConfig } from './config.schema.js';

/**
 * The public CDS Hooks sandbox (https://sandbox.cds-hooks.org) signs with ES384 and names a `jku`
 * that is unreachable offline, so its published JWKS is pinned here (cds-hooks/sandbox
 * `.well-known/jwks.json`). Its private key is committed in that repository: anyone can mint these
 * tokens, which is why this is an opt-in development profile only.
 */
export const CDS_HOOKS_SANDBOX_EHR: EhrConfig = {
  issuer: 'https://sandbox.cds-hooks.org',
  jwksUrl: 'https://sandbox.cds-hooks.org/.well-known/jwks.json',
  jwks: {
    keys: [
      {
        kty: 'EC',
        use: 'sig',
        crv: 'P-384',
        kid: '44823f3d-0b01-4a6c-a80e-b9d3e8a7226f',
        x: 'dw_JGR8nB2I6XveNxUOl2qk699ZPLM2nYI5STSdiEl9avAkrm3CkfYMbrrjr8laB',
        y: 'Sm3mLE-n1zYNla_aiE3cb3nZsL51RbC7ysw3q8aJLxGm-hx79RPMYpITDjp7kgzy',
        alg: 'ES384',
      },
    ],
  },
  algorithms: ['ES384'],
  fhirServers: [],
};

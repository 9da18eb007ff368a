import type { TrustedIssuer } from '../config.js';

/**
 * The public CDS Hooks sandbox (https://sandbox.cds-hooks.org, and its build in
 * ../shared/realworld/clients/cds-hooks-sandbox/) signs every call with ES384 under this issuer, naming its key by
 * `kid` and a `jku` on the internet. Its private key is committed in its repository, so a valid signature proves
 * only "some sandbox": development mode trusts it so that the sandbox works out of the box (offline too, as the key
 * is here and a configured key wins over the `jku`), and its calls get no more than an unauthenticated development
 * call would (loopback or listed FHIR servers only). Never in production.
 *
 * The key is a copy of the sandbox's `.well-known/jwks.json`; a test checks the copy against the shipped file.
 */
export const PUBLIC_SANDBOX_ISS = 'https://sandbox.cds-hooks.org';

export const PUBLIC_SANDBOX_JWKS = {
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
};

export const PUBLIC_SANDBOX_ISSUER: TrustedIssuer = {
  iss: PUBLIC_SANDBOX_ISS,
  jwks: PUBLIC_SANDBOX_JWKS,
  fhirServers: [],
  developmentOnly: true,
};

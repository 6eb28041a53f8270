-- Embedded SMART App Launch authorization server. Every secret-bearing value (launch, code,
-- refresh token, transaction id, CSRF token) is stored as its sha256 only. Times are written by the
-- application (one clock, frozen in tests), never by now().

-- RS256 signing keys shared by all instances; retired keys stay published in the JWKS.
CREATE TABLE smart_signing_keys (
  kid text PRIMARY KEY,
  alg text NOT NULL,
  private_jwk jsonb NOT NULL,
  public_jwk jsonb NOT NULL,
  created_at timestamptz NOT NULL,
  retired_at timestamptz
);

-- Launch tokens minted for card links (SMART app-launch.md `launch`): single use, short-lived.
CREATE TABLE smart_launches (
  token_hash text PRIMARY KEY,
  client_id text NOT NULL,
  iss text NOT NULL,
  binding jsonb NOT NULL,
  created_at timestamptz NOT NULL,
  expires_at timestamptz NOT NULL,
  consumed_at timestamptz
);

-- Interactive authorization transactions (login, patient choice, consent), keyed by the opaque cookie id.
CREATE TABLE smart_transactions (
  id_hash text PRIMARY KEY,
  csrf_hash text,
  request jsonb NOT NULL,
  step text NOT NULL,
  user_id text,
  patient_id text,
  expires_at timestamptz NOT NULL,
  finished_at timestamptz
);

-- One authorization: the family every code, access token and refresh token issued from it belongs to.
CREATE TABLE smart_grants (
  id text PRIMARY KEY,
  client_id text NOT NULL,
  context jsonb NOT NULL,
  created_at timestamptz NOT NULL,
  revoked_at timestamptz
);

CREATE TABLE smart_codes (
  code_hash text PRIMARY KEY,
  grant_id text NOT NULL REFERENCES smart_grants (id),
  client_id text NOT NULL,
  redirect_uri text NOT NULL,
  code_challenge text NOT NULL,
  expires_at timestamptz NOT NULL,
  consumed_at timestamptz
);

CREATE TABLE smart_refresh_tokens (
  token_hash text PRIMARY KEY,
  grant_id text NOT NULL REFERENCES smart_grants (id),
  client_id text NOT NULL,
  scope text NOT NULL,
  expires_at timestamptz NOT NULL,
  used_at timestamptz,
  revoked_at timestamptz
);
CREATE INDEX smart_refresh_tokens_grant ON smart_refresh_tokens (grant_id);

CREATE TABLE smart_access_tokens (
  jti text PRIMARY KEY,
  grant_id text NOT NULL REFERENCES smart_grants (id),
  client_id text NOT NULL,
  expires_at timestamptz NOT NULL,
  revoked_at timestamptz
);
CREATE INDEX smart_access_tokens_grant ON smart_access_tokens (grant_id);

-- private_key_jwt assertion ids already seen (SMART client-confidential-asymmetric: jti single use).
CREATE TABLE smart_assertion_jtis (
  client_id text NOT NULL,
  jti text NOT NULL,
  expires_at timestamptz NOT NULL,
  PRIMARY KEY (client_id, jti)
);

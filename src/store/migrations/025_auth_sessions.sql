-- The authorization server's sign-in sessions (OIDC Core §3.1.2.3: a signed-in End-User is not asked
-- again). The cookie's id is stored as its sha256 only; lifetimes are checked against created_at and
-- last_seen_at with the configured idle and absolute limits.
CREATE TABLE auth_sessions (
  id_hash text PRIMARY KEY,
  fhir_user text NOT NULL,
  -- 'password' or the upstream provider's issuer.
  method text NOT NULL,
  created_at timestamptz NOT NULL,
  last_seen_at timestamptz NOT NULL,
  ended_at timestamptz
);
CREATE INDEX auth_sessions_last_seen ON auth_sessions (last_seen_at);

-- A sign-in under way: where the browser continues afterwards (a path of this server), the page's
-- single-use CSRF token, and for an upstream provider its state, nonce and PKCE verifier. Ids and
-- tokens as sha256 only.
CREATE TABLE auth_sign_ins (
  id_hash text PRIMARY KEY,
  continue_to text NOT NULL,
  csrf_hash text,
  upstream jsonb,
  expires_at timestamptz NOT NULL,
  finished_at timestamptz
);
CREATE INDEX auth_sign_ins_expires ON auth_sign_ins (expires_at);

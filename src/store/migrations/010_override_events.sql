-- Step-up overrides (DESIGN.md flow 5): what was requested, approved, denied and used. Written by
-- smart/ (requests, decisions) and fhir/server (uses); read by analytics/ for its rollups, which copy
-- no user reference.
CREATE TABLE override_events (
  id bigserial PRIMARY KEY,
  at timestamptz NOT NULL DEFAULT now(),
  event text NOT NULL CHECK (event IN ('requested', 'approved', 'denied', 'used', 'refused')),
  service_id text,
  rule text NOT NULL,
  level text NOT NULL CHECK (level IN ('confirm', 'reauthenticate')),
  client_id text NOT NULL,
  user_ref text,
  grant_id text,
  override_jti text
);
CREATE INDEX override_events_time ON override_events (at);

-- Card click-through links and what happened to them.

-- Secrets shared by every instance (HMAC keys for signed URLs), generated on first start.
CREATE TABLE signing_secrets (
  name text PRIMARY KEY,
  secret text NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now()
);

-- The launch context a link will bind its launch to; the signed URL carries only the row id.
CREATE TABLE card_links (
  id text PRIMARY KEY,
  service_id text NOT NULL,
  hook_instance text NOT NULL,
  card_uuid text NOT NULL,
  link_index integer NOT NULL,
  app text NOT NULL,
  issuer text,
  user_id text NOT NULL,
  patient_id text NOT NULL,
  encounter_id text,
  scope_ceiling text NOT NULL,
  app_context text,
  issued_at timestamptz NOT NULL,
  expires_at timestamptz NOT NULL
);
CREATE INDEX card_links_card ON card_links (card_uuid);

CREATE TABLE link_events (
  id bigserial PRIMARY KEY,
  link_id text,
  service_id text,
  hook_instance text,
  card_uuid text,
  app text,
  outcome text NOT NULL CHECK (outcome IN ('launched', 'expired', 'rejected')),
  at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX link_events_service ON link_events (service_id, at);

-- CDS Hooks: what was issued, what happened per call, and the feedback clinicians gave.

CREATE TABLE cds_invocations (
  id bigserial PRIMARY KEY,
  service_id text NOT NULL,
  hook text NOT NULL,
  hook_instance text NOT NULL,
  issuer text,
  tenant text,
  started_at timestamptz NOT NULL,
  latency_ms double precision NOT NULL,
  status integer NOT NULL,
  card_count integer NOT NULL,
  indicators jsonb NOT NULL,
  effective_scopes text NOT NULL DEFAULT '',
  prefetch_dropped integer NOT NULL DEFAULT 0
);
CREATE INDEX cds_invocations_service_time ON cds_invocations (service_id, started_at);

-- Every card we sent, so feedback (JWT or signed URL) can be tied to service, hookInstance and client.
CREATE TABLE cds_cards (
  uuid text PRIMARY KEY,
  service_id text NOT NULL,
  hook_instance text NOT NULL,
  issuer text,
  tenant text,
  indicator text NOT NULL,
  summary text NOT NULL,
  suggestion_uuids jsonb NOT NULL DEFAULT '[]',
  issued_at timestamptz NOT NULL
);
CREATE INDEX cds_cards_service ON cds_cards (service_id, issued_at);

CREATE TABLE cds_feedback (
  id bigserial PRIMARY KEY,
  -- sha256 of the canonical feedback item: the same item delivered twice is stored once.
  dedupe_key text NOT NULL UNIQUE,
  card_uuid text NOT NULL REFERENCES cds_cards (uuid),
  service_id text NOT NULL,
  hook_instance text NOT NULL,
  issuer text,
  tenant text,
  outcome text NOT NULL CHECK (outcome IN ('accepted', 'overridden')),
  accepted_suggestions jsonb NOT NULL DEFAULT '[]',
  override_reason jsonb,
  outcome_timestamp timestamptz NOT NULL,
  channel text NOT NULL CHECK (channel IN ('jwt', 'signed-url')),
  received_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX cds_feedback_service ON cds_feedback (service_id, outcome_timestamp);

-- Analytics rollups (DESIGN.md flow 6): counters per service, rule and UTC hour, folded in from the
-- raw events incrementally, so a summary reads a few rows per hour whatever the raw volume, and the
-- retention purge can drop raw events without changing a total. No patient, user or hookInstance ids.

-- A raw event is folded in exactly once: the rollup marks it in the same statement that adds it, so
-- two instances rolling up at once never count a row twice (the second waits for the first's lock).
ALTER TABLE cds_invocations ADD COLUMN rolled_up boolean NOT NULL DEFAULT false;
ALTER TABLE cds_cards ADD COLUMN rolled_up boolean NOT NULL DEFAULT false;
ALTER TABLE cds_feedback ADD COLUMN rolled_up boolean NOT NULL DEFAULT false;
ALTER TABLE link_events ADD COLUMN rolled_up boolean NOT NULL DEFAULT false;
ALTER TABLE launch_events ADD COLUMN rolled_up boolean NOT NULL DEFAULT false;
ALTER TABLE override_events ADD COLUMN rolled_up boolean NOT NULL DEFAULT false;
CREATE INDEX cds_invocations_pending ON cds_invocations (id) WHERE NOT rolled_up;
CREATE INDEX cds_cards_pending ON cds_cards (uuid) WHERE NOT rolled_up;
CREATE INDEX cds_feedback_pending ON cds_feedback (id) WHERE NOT rolled_up;
CREATE INDEX link_events_pending ON link_events (id) WHERE NOT rolled_up;
CREATE INDEX launch_events_pending ON launch_events (id) WHERE NOT rolled_up;
CREATE INDEX override_events_pending ON override_events (id) WHERE NOT rolled_up;
-- Feedback is counted per card once ("ignored" = cards without any); the purge removes old cards' rows.
CREATE INDEX cds_feedback_card ON cds_feedback (card_uuid);
CREATE INDEX launch_events_at ON launch_events (at);
CREATE INDEX cds_invocations_started ON cds_invocations (started_at);
CREATE INDEX cds_cards_issued ON cds_cards (issued_at);

-- Service calls per service and hour. Card-level counters are in analytics_rule_hours.
CREATE TABLE analytics_service_hours (
  service_id text NOT NULL,
  bucket timestamptz NOT NULL,
  invocations bigint NOT NULL DEFAULT 0,
  errors bigint NOT NULL DEFAULT 0,
  prefetch_dropped bigint NOT NULL DEFAULT 0,
  PRIMARY KEY (service_id, bucket)
);

-- Call latency as a log-scale histogram (bin b holds latencies in [1.02^b, 1.02^(b+1)) ms), so
-- percentiles over any range are read from summed bins, within 2 %.
CREATE TABLE analytics_latency_hours (
  service_id text NOT NULL,
  bucket timestamptz NOT NULL,
  bin integer NOT NULL,
  count bigint NOT NULL,
  PRIMARY KEY (service_id, bucket, bin)
);

-- Per service, card rule ('' for a card without one) and hour. Card outcomes (feedback, clicks,
-- launches) count in the hour the card was issued, so a rate is a fraction of that hour's cards;
-- override events, which name their rule but no card, count in the hour they happened.
CREATE TABLE analytics_rule_hours (
  service_id text NOT NULL,
  rule text NOT NULL,
  bucket timestamptz NOT NULL,
  cards bigint NOT NULL DEFAULT 0,
  accepted bigint NOT NULL DEFAULT 0,
  overridden bigint NOT NULL DEFAULT 0,
  with_feedback bigint NOT NULL DEFAULT 0,
  link_clicks bigint NOT NULL DEFAULT 0,
  launches_minted bigint NOT NULL DEFAULT 0,
  launches_authorized bigint NOT NULL DEFAULT 0,
  tokens_issued bigint NOT NULL DEFAULT 0,
  overrides_requested bigint NOT NULL DEFAULT 0,
  overrides_approved bigint NOT NULL DEFAULT 0,
  overrides_denied bigint NOT NULL DEFAULT 0,
  overrides_used bigint NOT NULL DEFAULT 0,
  PRIMARY KEY (service_id, rule, bucket)
);
CREATE INDEX analytics_rule_hours_bucket ON analytics_rule_hours (bucket);

-- Coded override reasons of feedback (CDS Hooks §Feedback overrideReason.reason); never the comment.
CREATE TABLE analytics_reason_hours (
  service_id text NOT NULL,
  rule text NOT NULL,
  bucket timestamptz NOT NULL,
  code text NOT NULL,
  display text,
  count bigint NOT NULL,
  PRIMARY KEY (service_id, rule, bucket, code)
);

-- Never holds a row: a rollup locks the table so rollups run one at a time across instances.
CREATE TABLE analytics_rollup_lock (id integer PRIMARY KEY);

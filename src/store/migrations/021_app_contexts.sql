-- The card context behind each `smart` link's opaque appContext handle: redeemed once by the app the
-- EHR launched, then kept only until the handle expires.
CREATE TABLE app_contexts (
  id text PRIMARY KEY,
  service_id text NOT NULL,
  hook_instance text NOT NULL,
  card_uuid text NOT NULL,
  app text NOT NULL,
  context jsonb NOT NULL,
  issued_at timestamptz NOT NULL,
  expires_at timestamptz NOT NULL,
  redeemed_at timestamptz
);
CREATE INDEX app_contexts_expires ON app_contexts (expires_at);

-- Step-up overrides consumed by an accepted write (DESIGN.md flow 5): one row per override access token,
-- inserted by the one write it authorizes, so a second use on any instance finds it. `request_jti` is the
-- override-request token's jti: a request already used cannot be authorized again.
CREATE TABLE override_uses (
  jti text PRIMARY KEY,
  request_jti text NOT NULL,
  used_at timestamptz NOT NULL
);
CREATE INDEX override_uses_request ON override_uses (request_jti);

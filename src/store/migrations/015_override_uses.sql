-- Step-up overrides consumed by an accepted write (DESIGN.md flow 5): one row per override-request token
-- (its jti) an accepted write used, inserted by that one write, so no second write on any instance, with
-- the same override or with another override authorized for the same request, is accepted. `jti` is the
-- override access token's.
CREATE TABLE override_uses (
  request_jti text PRIMARY KEY,
  jti text NOT NULL,
  used_at timestamptz NOT NULL
);

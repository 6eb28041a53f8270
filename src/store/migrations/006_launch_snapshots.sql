-- The data a hook call saw, one document per hookInstance, kept for the apps its card links launch
-- (DESIGN.md flow 2). The /fhir endpoint copies it into fhir_resources the first time a launch from
-- that call reads it, so a hook call pays one insert, not one upsert per resource.
CREATE TABLE launch_snapshots (
  hook_instance text PRIMARY KEY,
  resources jsonb NOT NULL,
  created_at timestamptz NOT NULL,
  materialized_at timestamptz
);

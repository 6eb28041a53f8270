-- The SMART-protected /fhir endpoint: resources per partition (a hookInstance snapshot, or 'demo').

CREATE TABLE fhir_resources (
  partition text NOT NULL,
  type text NOT NULL,
  id text NOT NULL,
  version integer NOT NULL DEFAULT 1,
  resource jsonb NOT NULL,
  updated_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (partition, type, id)
);

-- CDS client JWT ids already accepted (CDS Hooks best practices "JWT" step 6: a jti is used once).
-- One table shared by every instance; a row is kept until the token could no longer be accepted.
CREATE TABLE ehr_jti (
  issuer text NOT NULL,
  jti text NOT NULL,
  expires_at timestamptz NOT NULL,
  PRIMARY KEY (issuer, jti)
);
CREATE INDEX ehr_jti_expires ON ehr_jti (expires_at);

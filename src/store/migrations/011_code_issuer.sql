-- An authorization code is redeemable only at the authorization server that issued it: instances with
-- another PUBLIC_URL share the database but are other issuers (RFC 9207 §2, RFC 6749 §4.1.3). Codes
-- issued before this column existed have none and are refused; they live a minute at most.
ALTER TABLE smart_codes ADD COLUMN issuer text;

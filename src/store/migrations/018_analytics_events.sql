-- Analytics events (DESIGN.md flow 6). Each card keeps the knowledge-base rule that made it, so what
-- clinicians did with it can be counted per rule; null for a service that declares none.
ALTER TABLE cds_cards ADD COLUMN rule text;

-- How far a launch from a card link got after the click minted it (the click itself is in
-- link_events): authorized (/authorize issued a code) and token_issued (the code was redeemed).
-- Ids of the card and client only: no user, patient or token.
CREATE TABLE launch_events (
  id bigserial PRIMARY KEY,
  at timestamptz NOT NULL,
  event text NOT NULL CHECK (event IN ('authorized', 'token_issued')),
  service_id text NOT NULL,
  card_uuid text NOT NULL,
  client_id text NOT NULL
);

-- Launches a card link has minted, bounded by links.maxLaunches; and the refusals of a click bound to
-- its user (wrong_user) or past that bound (exhausted), recorded like every other click outcome.
ALTER TABLE card_links ADD COLUMN launch_count integer NOT NULL DEFAULT 0;
ALTER TABLE link_events DROP CONSTRAINT link_events_outcome_check;
ALTER TABLE link_events ADD CONSTRAINT link_events_outcome_check CHECK (outcome IN ('launched', 'expired', 'rejected', 'wrong_user', 'exhausted'));

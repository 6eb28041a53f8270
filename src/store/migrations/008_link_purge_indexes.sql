-- Housekeeping deletes expired card links and old click events by time; without these it would scan
-- both tables on every run.
CREATE INDEX card_links_expires ON card_links (expires_at);
CREATE INDEX link_events_at ON link_events (at);

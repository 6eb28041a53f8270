-- A service's card counters summed over its rules, so a time series of every rule reads one row per
-- service and bucket.
ALTER TABLE analytics_service_hours ADD COLUMN cards bigint NOT NULL DEFAULT 0;
ALTER TABLE analytics_service_hours ADD COLUMN accepted bigint NOT NULL DEFAULT 0;
ALTER TABLE analytics_service_hours ADD COLUMN overridden bigint NOT NULL DEFAULT 0;
ALTER TABLE analytics_service_hours ADD COLUMN link_clicks bigint NOT NULL DEFAULT 0;
INSERT INTO analytics_service_hours AS t (service_id, bucket, cards, accepted, overridden, link_clicks)
SELECT service_id, bucket, sum(cards), sum(accepted), sum(overridden), sum(link_clicks) FROM analytics_rule_hours GROUP BY 1, 2
ON CONFLICT (service_id, bucket) DO UPDATE SET cards = EXCLUDED.cards, accepted = EXCLUDED.accepted, overridden = EXCLUDED.overridden,
  link_clicks = EXCLUDED.link_clicks;

-- The same rollups per UTC day, folded in the same statements as the hour ones: a summary over
-- weeks reads one row per service and rule per day, and hour rows only at the range's edges.
CREATE TABLE analytics_service_days (LIKE analytics_service_hours INCLUDING ALL);
CREATE TABLE analytics_latency_days (LIKE analytics_latency_hours INCLUDING ALL);
CREATE TABLE analytics_rule_days (LIKE analytics_rule_hours INCLUDING ALL);
CREATE TABLE analytics_reason_days (LIKE analytics_reason_hours INCLUDING ALL);

-- What was folded before this migration, summed per day.
INSERT INTO analytics_service_days (service_id, bucket, invocations, errors, prefetch_dropped, cards, accepted, overridden, link_clicks)
SELECT service_id, date_trunc('day', bucket, 'UTC'), sum(invocations), sum(errors), sum(prefetch_dropped), sum(cards), sum(accepted),
       sum(overridden), sum(link_clicks)
  FROM analytics_service_hours GROUP BY 1, 2;
INSERT INTO analytics_latency_days (service_id, bucket, bin, count)
SELECT service_id, date_trunc('day', bucket, 'UTC'), bin, sum(count) FROM analytics_latency_hours GROUP BY 1, 2, 3;
INSERT INTO analytics_rule_days (service_id, rule, bucket, cards, accepted, overridden, with_feedback, link_clicks, launches_minted,
                                 launches_authorized, tokens_issued, overrides_requested, overrides_approved, overrides_denied, overrides_used)
SELECT service_id, rule, date_trunc('day', bucket, 'UTC'), sum(cards), sum(accepted), sum(overridden), sum(with_feedback), sum(link_clicks),
       sum(launches_minted), sum(launches_authorized), sum(tokens_issued), sum(overrides_requested), sum(overrides_approved),
       sum(overrides_denied), sum(overrides_used)
  FROM analytics_rule_hours GROUP BY 1, 2, 3;
INSERT INTO analytics_reason_days (service_id, rule, bucket, code, display, count)
SELECT service_id, rule, date_trunc('day', bucket, 'UTC'), code, max(display), sum(count) FROM analytics_reason_hours GROUP BY 1, 2, 3, 4;

-- A range query finds its hour rows by bucket (the primary keys lead with the service).
CREATE INDEX analytics_service_hours_bucket ON analytics_service_hours (bucket);
CREATE INDEX analytics_latency_hours_bucket ON analytics_latency_hours (bucket);
CREATE INDEX analytics_reason_hours_bucket ON analytics_reason_hours (bucket);
CREATE INDEX analytics_service_days_bucket ON analytics_service_days (bucket);
CREATE INDEX analytics_latency_days_bucket ON analytics_latency_days (bucket);
CREATE INDEX analytics_reason_days_bucket ON analytics_reason_days (bucket);

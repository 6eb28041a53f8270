-- When a launch from the hook call was redeemed: from then on a grant may read the snapshot for the
-- first time at any point of its life, so housekeeping keeps an unread, claimed snapshot much longer.
ALTER TABLE launch_snapshots ADD COLUMN claimed_at timestamptz;
CREATE INDEX launch_snapshots_created ON launch_snapshots (created_at);

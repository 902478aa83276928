-- Shared clocks: users on one clock share one business time. clock_offset_seconds stays the
-- offset every query reads (a user's now = real time + clock_offset_seconds); clock_id names the
-- clock it belongs to. db/clock.ts is the only writer of both, and keeps every member of a clock
-- at one offset (it changes them together, under the members' row locks, in SERIALIZABLE).

-- A volatile default is evaluated per row, so each existing user gets a clock of their own.
ALTER TABLE users ADD COLUMN clock_id uuid NOT NULL DEFAULT gen_random_uuid();
CREATE INDEX users_by_clock ON users (clock_id, id);

-- The clock runs at most 100 years ahead of real time (CLOCK_OFFSET_SECONDS_MAX in db/clock.ts).
ALTER TABLE users ADD CONSTRAINT users_clock_offset_max
  CHECK (clock_offset_seconds <= 3153600000);

-- A delivery's first attempt is due at once on the owner's sandbox clock, the clock its retries
-- are scheduled on: at the event's created_at (that clock's reading when it was written), or the
-- owner's reading now if earlier (an event dated on another owner's clock must not wait for it).
CREATE OR REPLACE FUNCTION queue_webhook_deliveries() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO webhook_deliveries (endpoint_id, event_id, next_attempt_at, created_at)
  SELECT w.id, e.id, due.at, due.at
  FROM new_events e
  JOIN users u ON u.id = e.user_id
  JOIN webhook_endpoints w ON w.user_id = e.user_id AND w.enabled
    AND (cardinality(w.event_types) = 0 OR e.type = ANY (w.event_types))
  CROSS JOIN LATERAL (
    SELECT least(e.created_at, now() + u.clock_offset_seconds * interval '1 second') AS at
  ) due;
  RETURN NULL;
END;
$$;

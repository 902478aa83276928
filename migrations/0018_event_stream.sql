-- The event stream (GET /events/stream) reads events in the order they became visible, which is
-- not `seq` order: a transaction can take seq 9, commit after another took and committed seq 10,
-- and a reader that had moved past 10 would never see 9. Each event records the id of the
-- transaction that wrote it; every event of a transaction id below the current snapshot's xmin
-- is committed or gone for good, so a reader that walks (xact, seq) up to that horizon loses
-- nothing and sees nothing twice. The writers need no change: the default fills it.
ALTER TABLE events ADD COLUMN xact xid8 NOT NULL DEFAULT pg_current_xact_id();
CREATE INDEX events_stream_by_user ON events (user_id, xact, seq);

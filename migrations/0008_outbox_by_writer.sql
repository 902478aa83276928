-- Webhook deliveries are queued by the statements that write events (db/writer.ts and
-- db/events.ts, through one SQL fragment), in the same statement and transaction, instead of by a
-- statement-level trigger with a transition table: CockroachDB has no transition tables, and the
-- trigger read the wall clock (now()) where every deadline must read the owner's sandbox clock.
DROP TRIGGER events_queue_webhook_deliveries ON events;
DROP FUNCTION queue_webhook_deliveries();
-- Every delivery is dated on its owner's sandbox clock by the statement that queues it.
ALTER TABLE webhook_deliveries ALTER COLUMN created_at DROP DEFAULT;

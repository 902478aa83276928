-- Events: every state change of the bank, written in the same transaction as the change
-- (a transactional outbox). Webhook delivery reads from here.
CREATE TABLE events (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  seq bigint GENERATED ALWAYS AS IDENTITY UNIQUE,
  user_id uuid NOT NULL REFERENCES users (id),
  type text NOT NULL CHECK (type ~ '^[a-z_]+\.[a-z_]+$'),
  data jsonb NOT NULL,
  created_at timestamptz NOT NULL
);
CREATE INDEX events_by_user ON events (user_id, seq DESC);
CREATE INDEX events_by_user_type ON events (user_id, type, seq DESC);

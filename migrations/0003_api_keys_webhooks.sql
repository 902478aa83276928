-- Integration features: API keys, webhook endpoints, and webhook deliveries with their attempts.

-- API keys: only a SHA-256 digest of each key is stored; key_prefix lets its owner recognise it.
CREATE TABLE api_keys (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  user_id uuid NOT NULL REFERENCES users (id),
  name text NOT NULL CHECK (length(name) BETWEEN 1 AND 100),
  key_prefix text NOT NULL CHECK (key_prefix ~ '^sk_test_[A-Za-z0-9_-]{4,16}$'),
  key_hash text NOT NULL UNIQUE CHECK (key_hash ~ '^[0-9a-f]{64}$'),
  created_at timestamptz NOT NULL,
  last_used_at timestamptz,
  -- A revoked key stays for the record but never authenticates again.
  revoked_at timestamptz
);
CREATE INDEX api_keys_by_user ON api_keys (user_id, created_at) WHERE revoked_at IS NULL;

CREATE TABLE webhook_endpoints (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  user_id uuid NOT NULL REFERENCES users (id),
  url text NOT NULL CHECK (url ~ '^https?://' AND length(url) <= 2048),
  -- Empty means every event type.
  event_types text[] NOT NULL DEFAULT '{}',
  description text CHECK (description IS NULL OR length(description) <= 500),
  enabled boolean NOT NULL DEFAULT true,
  -- The signing secret (whsec_...): kept in clear because signing needs it.
  secret text NOT NULL CHECK (secret ~ '^whsec_'),
  created_at timestamptz NOT NULL,
  updated_at timestamptz NOT NULL
);
CREATE INDEX webhook_endpoints_by_user ON webhook_endpoints (user_id, created_at);

-- One delivery of one event to one endpoint; its state is the last attempt's outcome.
CREATE TABLE webhook_deliveries (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  seq bigint GENERATED ALWAYS AS IDENTITY UNIQUE,
  endpoint_id uuid NOT NULL REFERENCES webhook_endpoints (id) ON DELETE CASCADE,
  event_id uuid NOT NULL REFERENCES events (id),
  status text NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'succeeded', 'failed')),
  attempts integer NOT NULL DEFAULT 0 CHECK (attempts >= 0),
  response_status integer,
  error text CHECK (error IS NULL OR length(error) <= 300),
  duration_ms integer,
  next_attempt_at timestamptz,
  -- A worker's claim: another worker may take the delivery over once locked_until has passed
  -- (the first is presumed dead); lease_token makes only the claim holder's result count.
  locked_until timestamptz,
  lease_token uuid,
  created_at timestamptz NOT NULL DEFAULT now(),
  CHECK ((status = 'pending') = (next_attempt_at IS NOT NULL))
);
CREATE INDEX webhook_deliveries_due ON webhook_deliveries (next_attempt_at)
  WHERE status = 'pending';
CREATE INDEX webhook_deliveries_by_endpoint ON webhook_deliveries (endpoint_id, seq DESC);

-- Every attempt, as it happened.
CREATE TABLE webhook_delivery_attempts (
  delivery_id uuid NOT NULL REFERENCES webhook_deliveries (id) ON DELETE CASCADE,
  attempt integer NOT NULL CHECK (attempt >= 1),
  response_status integer,
  error text CHECK (error IS NULL OR length(error) <= 300),
  duration_ms integer NOT NULL CHECK (duration_ms >= 0),
  attempted_at timestamptz NOT NULL,
  PRIMARY KEY (delivery_id, attempt)
);

-- Deliveries are queued by the database itself, in the transaction that writes the event: every
-- writer of events (movements, accounts, payments, holds) gets them without knowing about
-- webhooks, and a crash can lose neither the event nor its deliveries. A worker scanning events
-- past a cursor instead could skip an event whose transaction commits after a later-numbered one.
CREATE FUNCTION queue_webhook_deliveries() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO webhook_deliveries (endpoint_id, event_id, next_attempt_at)
  SELECT w.id, e.id, now()
  FROM new_events e
  JOIN webhook_endpoints w ON w.user_id = e.user_id AND w.enabled
    AND (cardinality(w.event_types) = 0 OR e.type = ANY (w.event_types));
  RETURN NULL;
END;
$$;
CREATE TRIGGER events_queue_webhook_deliveries
  AFTER INSERT ON events REFERENCING NEW TABLE AS new_events
  FOR EACH STATEMENT EXECUTE FUNCTION queue_webhook_deliveries();

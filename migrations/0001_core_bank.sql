-- The core bank: users, accounts, and the ledger of every money movement, approved or refused.
-- Money is BIGINT minor units. The constraints repeat the domain's invariants so that no bug in
-- the application can make money appear, vanish or go negative.

CREATE TABLE users (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  name text NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
  email text NOT NULL CHECK (length(email) BETWEEN 3 AND 320),
  password_hash text NOT NULL,
  -- The user's sandbox clock: real time plus this offset. It only moves forward.
  clock_offset_seconds bigint NOT NULL DEFAULT 0 CHECK (clock_offset_seconds >= 0),
  created_at timestamptz NOT NULL DEFAULT now()
);
CREATE UNIQUE INDEX users_email_unique ON users (lower(email));

CREATE TABLE accounts (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  user_id uuid NOT NULL REFERENCES users (id),
  account_number text NOT NULL UNIQUE CHECK (account_number ~ '^[0-9]{10}$'),
  currency text NOT NULL CHECK (currency ~ '^[A-Z]{3}$'),
  balance bigint NOT NULL DEFAULT 0 CHECK (balance >= 0),
  created_at timestamptz NOT NULL,
  updated_at timestamptz NOT NULL
);
CREATE INDEX accounts_by_user ON accounts (user_id, created_at);

CREATE TABLE transactions (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  -- Ledger order: newest first is seq descending, stable under equal timestamps.
  seq bigint GENERATED ALWAYS AS IDENTITY UNIQUE,
  type text NOT NULL CHECK (type IN (
    'deposit', 'withdraw', 'transfer', 'payment_out', 'payment_in', 'payment_return', 'hold_capture'
  )),
  from_account_id uuid REFERENCES accounts (id),
  to_account_id uuid REFERENCES accounts (id),
  amount bigint NOT NULL CHECK (amount > 0),
  currency text NOT NULL CHECK (currency ~ '^[A-Z]{3}$'),
  status text NOT NULL CHECK (status IN ('approved', 'rejected')),
  reason text CHECK (reason IS NULL OR length(reason) BETWEEN 1 AND 64),
  description text CHECK (description IS NULL OR length(description) <= 500),
  -- Balances right after this entry (approved entries only): statements and audits read them.
  from_balance_after bigint CHECK (from_balance_after >= 0),
  to_balance_after bigint CHECK (to_balance_after >= 0),
  initiated_by uuid NOT NULL REFERENCES users (id),
  created_at timestamptz NOT NULL,
  CHECK ((status = 'approved') = (reason IS NULL)),
  CHECK (from_account_id IS NOT NULL OR to_account_id IS NOT NULL),
  CHECK (status = 'rejected' OR from_account_id IS DISTINCT FROM to_account_id),
  CHECK (type <> 'deposit' OR from_account_id IS NULL),
  CHECK (type <> 'withdraw' OR to_account_id IS NULL),
  CHECK (type <> 'transfer' OR (from_account_id IS NOT NULL AND to_account_id IS NOT NULL)
    OR status = 'rejected'),
  CHECK (status = 'rejected' OR (
    (from_account_id IS NULL) = (from_balance_after IS NULL)
    AND (to_account_id IS NULL) = (to_balance_after IS NULL)
  ))
);
CREATE INDEX transactions_by_from_account ON transactions (from_account_id, seq DESC);
CREATE INDEX transactions_by_to_account ON transactions (to_account_id, seq DESC);
-- The fraud velocity window: approved outflows of one account by time.
CREATE INDEX transactions_outflow_window ON transactions (from_account_id, created_at)
  WHERE status = 'approved';

-- The ledger is append-only: a posted entry is never edited or removed, by anyone.
CREATE FUNCTION refuse_ledger_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'ledger entries are append-only: % refused', TG_OP
    USING ERRCODE = 'insufficient_privilege';
END;
$$;
CREATE TRIGGER transactions_append_only
  BEFORE UPDATE OR DELETE ON transactions
  FOR EACH ROW EXECUTE FUNCTION refuse_ledger_change();
CREATE TRIGGER transactions_no_truncate
  BEFORE TRUNCATE ON transactions
  FOR EACH STATEMENT EXECUTE FUNCTION refuse_ledger_change();

-- Idempotency-Key records, per user. A movement and its record commit in one transaction.
CREATE TABLE idempotency_keys (
  user_id uuid NOT NULL REFERENCES users (id),
  key text NOT NULL CHECK (length(key) BETWEEN 1 AND 255),
  fingerprint text NOT NULL,
  -- in_flight until the request's transaction commits its response; a stale claim can be retaken.
  state text NOT NULL CHECK (state IN ('in_flight', 'completed')),
  -- Names the one request holding the claim: a movement commits only with its own claim.
  claim_token uuid NOT NULL,
  locked_until timestamptz NOT NULL,
  response_status integer,
  response_body text,
  created_at timestamptz NOT NULL DEFAULT now(),
  expires_at timestamptz NOT NULL,
  PRIMARY KEY (user_id, key),
  CHECK (state = 'in_flight' OR (response_status IS NOT NULL AND response_body IS NOT NULL))
);
CREATE INDEX idempotency_keys_expiry ON idempotency_keys (expires_at);

-- Bank-to-bank payments through the simulated clearing network, and card-style holds.
-- Times here are on the owner's sandbox clock (real time + users.clock_offset_seconds).

CREATE TABLE payments (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  -- List order: newest first is seq descending.
  seq bigint GENERATED ALWAYS AS IDENTITY UNIQUE,
  user_id uuid NOT NULL REFERENCES users (id),
  account_id uuid NOT NULL REFERENCES accounts (id),
  direction text NOT NULL CHECK (direction IN ('outbound', 'inbound')),
  amount bigint NOT NULL CHECK (amount > 0),
  currency text NOT NULL CHECK (currency ~ '^[A-Z]{3}$'),
  -- {name, bank_code, account_number} of the other bank's customer.
  counterparty jsonb NOT NULL,
  description text CHECK (description IS NULL OR length(description) <= 500),
  status text NOT NULL CHECK (status IN ('pending', 'settled', 'returned', 'rejected')),
  -- What the clearing network does when settles_at arrives: settle, return (with
  -- scheduled_return_reason), or nothing until a simulation decides ('manual').
  scheduled_outcome text NOT NULL CHECK (scheduled_outcome IN ('settle', 'return', 'manual')),
  scheduled_return_reason text CHECK (scheduled_return_reason IS NULL
    OR length(scheduled_return_reason) BETWEEN 1 AND 64),
  return_reason text CHECK (return_reason IS NULL OR length(return_reason) BETWEEN 1 AND 64),
  transaction_id uuid REFERENCES transactions (id),
  return_transaction_id uuid REFERENCES transactions (id),
  created_at timestamptz NOT NULL,
  settles_at timestamptz NOT NULL,
  settled_at timestamptz,
  returned_at timestamptz,
  CHECK ((scheduled_outcome = 'return') = (scheduled_return_reason IS NOT NULL)),
  CHECK ((status = 'returned') = (return_reason IS NOT NULL AND returned_at IS NOT NULL)),
  CHECK ((status = 'settled') = (settled_at IS NOT NULL)),
  -- An outbound payment always has its debit (approved or rejected) from the start.
  CHECK (direction = 'inbound' OR transaction_id IS NOT NULL),
  CHECK (direction = 'outbound' OR status <> 'rejected'),
  -- Only an outbound payment that went back has a return credit.
  CHECK (return_transaction_id IS NULL OR (direction = 'outbound' AND status = 'returned'))
);
CREATE INDEX payments_by_user ON payments (user_id, seq DESC);
CREATE INDEX payments_by_account ON payments (account_id, seq DESC);
-- The clearing worker's queue: pending payments by due time.
CREATE INDEX payments_due ON payments (settles_at) WHERE status = 'pending';

CREATE TABLE holds (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  seq bigint GENERATED ALWAYS AS IDENTITY UNIQUE,
  user_id uuid NOT NULL REFERENCES users (id),
  account_id uuid NOT NULL REFERENCES accounts (id),
  amount bigint NOT NULL CHECK (amount > 0),
  captured_amount bigint NOT NULL DEFAULT 0 CHECK (captured_amount >= 0),
  currency text NOT NULL CHECK (currency ~ '^[A-Z]{3}$'),
  status text NOT NULL CHECK (status IN ('active', 'captured', 'voided', 'expired')),
  description text CHECK (description IS NULL OR length(description) <= 500),
  capture_transaction_id uuid REFERENCES transactions (id),
  expires_at timestamptz NOT NULL,
  created_at timestamptz NOT NULL,
  -- When the hold stopped reserving money (captured, voided or expired).
  closed_at timestamptz,
  CHECK (captured_amount <= amount),
  CHECK ((status = 'captured') = (captured_amount > 0)),
  CHECK ((status = 'captured') = (capture_transaction_id IS NOT NULL)),
  CHECK ((status = 'active') = (closed_at IS NULL))
);
CREATE INDEX holds_by_user ON holds (user_id, seq DESC);
-- What reserves an account's money: its active holds (read under the account's lock).
CREATE INDEX holds_active_by_account ON holds (account_id, expires_at) WHERE status = 'active';
CREATE INDEX holds_due ON holds (expires_at) WHERE status = 'active';

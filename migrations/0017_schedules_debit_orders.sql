-- Standing orders (payment_schedules) and debit orders (domain/schedules.ts, domain/debit_orders.ts).
-- Each run of a schedule is an outbound eft payment; a debit order is collected from the account
-- (debit_order) and may be disputed back (debit_order_reversal). Written only by db/writer.ts.

ALTER TABLE transactions DROP CONSTRAINT transactions_type_check;
ALTER TABLE transactions ADD CONSTRAINT transactions_type_check CHECK (type IN (
  'deposit', 'withdraw', 'transfer', 'payment_out', 'payment_in', 'payment_return', 'hold_capture',
  'hold', 'card_authorization', 'card_capture', 'card_refund', 'debit_order', 'debit_order_reversal'
));
-- A collection takes money out of the account to the creditor; a reversal brings it back in.
ALTER TABLE transactions ADD CONSTRAINT transactions_debit_order_shape CHECK (
  (type <> 'debit_order' OR (from_account_id IS NOT NULL AND to_account_id IS NULL))
  AND (type <> 'debit_order_reversal' OR (from_account_id IS NULL AND to_account_id IS NOT NULL)));

CREATE TABLE payment_schedules (
  id uuid PRIMARY KEY,
  -- List order: newest first is seq descending.
  seq bigint GENERATED ALWAYS AS IDENTITY UNIQUE,
  user_id uuid NOT NULL REFERENCES users (id),
  account_id uuid NOT NULL REFERENCES accounts (id),
  amount bigint NOT NULL CHECK (amount > 0),
  currency text NOT NULL CHECK (currency ~ '^[A-Z]{3}$'),
  counterparty jsonb NOT NULL,
  description text CHECK (description IS NULL OR length(description) <= 500),
  run_interval text NOT NULL CHECK (run_interval IN ('weekly', 'monthly')),
  start_date date NOT NULL,
  next_run_on date,
  -- The instant on the owner's clock the next run falls due (next_run_on's clearing run time).
  next_run_at timestamptz,
  runs_made integer NOT NULL DEFAULT 0 CHECK (runs_made >= 0),
  count integer CHECK (count IS NULL OR count BETWEEN 1 AND 1000),
  end_date date CHECK (end_date IS NULL OR end_date >= start_date),
  status text NOT NULL CHECK (status IN ('active', 'completed', 'cancelled')),
  created_at timestamptz NOT NULL,
  ended_at timestamptz,
  -- Only an active schedule has a next run; a finished one says when it ended.
  CHECK ((status = 'active') = (next_run_on IS NOT NULL AND next_run_at IS NOT NULL)),
  CHECK ((status = 'active') = (ended_at IS NULL)),
  CHECK (count IS NULL OR runs_made <= count)
);
CREATE INDEX payment_schedules_by_user ON payment_schedules (user_id, seq DESC);
-- The clearing worker's queue: active schedules by their next run.
CREATE INDEX payment_schedules_due ON payment_schedules (next_run_at) WHERE status = 'active';

-- One row per run: the primary key makes each run happen once, however many passes race.
CREATE TABLE payment_schedule_runs (
  schedule_id uuid NOT NULL REFERENCES payment_schedules (id),
  run_number integer NOT NULL CHECK (run_number >= 1),
  run_on date NOT NULL,
  payment_id uuid NOT NULL UNIQUE REFERENCES payments (id),
  created_at timestamptz NOT NULL,
  PRIMARY KEY (schedule_id, run_number)
);

CREATE TABLE debit_orders (
  id uuid PRIMARY KEY,
  seq bigint GENERATED ALWAYS AS IDENTITY UNIQUE,
  user_id uuid NOT NULL REFERENCES users (id),
  account_id uuid NOT NULL REFERENCES accounts (id),
  amount bigint NOT NULL CHECK (amount > 0),
  currency text NOT NULL CHECK (currency ~ '^[A-Z]{3}$'),
  creditor jsonb NOT NULL,
  collect_on date NOT NULL,
  -- The instant on the owner's clock it falls due (collect_on's clearing run time).
  collect_at timestamptz NOT NULL,
  status text NOT NULL CHECK (status IN ('scheduled', 'collected', 'failed', 'reversed')),
  reason text CHECK (reason IS NULL OR length(reason) BETWEEN 1 AND 64),
  -- The collection's ledger row (approved, or the rejected one of a failure).
  transaction_id uuid REFERENCES transactions (id),
  reversal_transaction_id uuid REFERENCES transactions (id),
  created_at timestamptz NOT NULL,
  collected_at timestamptz,
  reversed_at timestamptz,
  CHECK ((status = 'scheduled') = (transaction_id IS NULL)),
  CHECK ((status = 'failed') = (reason IS NOT NULL)),
  CHECK ((status IN ('collected', 'reversed')) = (collected_at IS NOT NULL)),
  CHECK ((status = 'reversed') = (reversal_transaction_id IS NOT NULL AND reversed_at IS NOT NULL))
);
CREATE INDEX debit_orders_by_user ON debit_orders (user_id, seq DESC);
CREATE INDEX debit_orders_due ON debit_orders (collect_at) WHERE status = 'scheduled';

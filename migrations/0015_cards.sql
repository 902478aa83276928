-- Cards and card authorizations. An approved authorization reserves money through a hold whose
-- source is 'card'; captures are card_capture rows, refunds card_refund rows, and a declined
-- authorization is a rejected card_authorization row. No full card number is stored anywhere:
-- the issuer keeps only the last four digits (the PAN is generated, Luhn-valid, and dropped).

CREATE TABLE cards (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  seq bigint GENERATED ALWAYS AS IDENTITY UNIQUE,
  user_id uuid NOT NULL REFERENCES users (id),
  account_id uuid NOT NULL REFERENCES accounts (id),
  last4 text NOT NULL CHECK (last4 ~ '^[0-9]{4}$'),
  exp_month integer NOT NULL CHECK (exp_month BETWEEN 1 AND 12),
  exp_year integer NOT NULL CHECK (exp_year BETWEEN 2000 AND 9999),
  name_on_card text CHECK (name_on_card IS NULL OR length(name_on_card) BETWEEN 1 AND 100),
  status text NOT NULL CHECK (status IN ('active', 'frozen', 'cancelled')),
  created_at timestamptz NOT NULL
);
CREATE INDEX cards_by_user ON cards (user_id, seq DESC);

-- A hold placed for a card authorization: released, captured and expired with its authorization.
-- Such a hold may be captured several times and, for tips, past its amount: what it reserves is
-- amount - captured_amount (never below zero).
ALTER TABLE holds ADD COLUMN source text NOT NULL DEFAULT 'api'
  CHECK (source IN ('api', 'card'));
ALTER TABLE holds DROP CONSTRAINT holds_check;
ALTER TABLE holds DROP CONSTRAINT holds_check1;
ALTER TABLE holds DROP CONSTRAINT holds_check2;
ALTER TABLE holds ADD CONSTRAINT holds_captured_within_amount
  CHECK (source = 'card' OR captured_amount <= amount);
ALTER TABLE holds ADD CONSTRAINT holds_captured_has_amount
  CHECK (source = 'card' OR (status = 'captured') = (captured_amount > 0));
ALTER TABLE holds ADD CONSTRAINT holds_captured_has_entry
  CHECK (source = 'card' OR (status = 'captured') = (capture_transaction_id IS NOT NULL));
ALTER TABLE holds ADD CONSTRAINT holds_card_captured_has_amount
  CHECK (source = 'api' OR status <> 'captured' OR captured_amount > 0);

CREATE TABLE card_authorizations (
  id uuid PRIMARY KEY,
  seq bigint GENERATED ALWAYS AS IDENTITY UNIQUE,
  user_id uuid NOT NULL REFERENCES users (id),
  card_id uuid NOT NULL REFERENCES cards (id),
  account_id uuid NOT NULL REFERENCES accounts (id),
  hold_id uuid UNIQUE REFERENCES holds (id),
  amount bigint NOT NULL CHECK (amount >= 0),
  captured_amount bigint NOT NULL DEFAULT 0 CHECK (captured_amount >= 0),
  refunded_amount bigint NOT NULL DEFAULT 0 CHECK (refunded_amount >= 0),
  currency text NOT NULL CHECK (currency ~ '^[A-Z]{3}$'),
  merchant_name text NOT NULL CHECK (length(merchant_name) BETWEEN 1 AND 100),
  merchant_mcc text NOT NULL CHECK (merchant_mcc ~ '^[0-9]{4}$'),
  merchant_country text CHECK (merchant_country IS NULL OR merchant_country ~ '^[A-Z]{2}$'),
  status text NOT NULL
    CHECK (status IN ('pending', 'closed', 'declined', 'reversed', 'expired')),
  decline_reason text CHECK (decline_reason IS NULL OR length(decline_reason) BETWEEN 1 AND 64),
  -- The declined row, or the latest capture.
  transaction_id uuid REFERENCES transactions (id),
  created_at timestamptz NOT NULL,
  expires_at timestamptz,
  CHECK (refunded_amount <= captured_amount),
  CHECK ((status = 'declined') = (decline_reason IS NOT NULL)),
  CHECK ((status = 'declined') = (hold_id IS NULL)),
  CHECK (status <> 'declined' OR transaction_id IS NOT NULL),
  CHECK ((status = 'declined') = (expires_at IS NULL))
);
CREATE INDEX card_authorizations_by_user ON card_authorizations (user_id, seq DESC);
CREATE INDEX card_authorizations_by_card ON card_authorizations (card_id, seq DESC);

ALTER TABLE transactions DROP CONSTRAINT transactions_type_check;
ALTER TABLE transactions ADD CONSTRAINT transactions_type_check CHECK (type IN (
  'deposit', 'withdraw', 'transfer', 'payment_out', 'payment_in', 'payment_return', 'hold_capture',
  'hold', 'card_authorization', 'card_capture', 'card_refund'
));
-- A card_authorization row is only ever a declined one (an approved one is a hold).
ALTER TABLE transactions ADD CONSTRAINT transactions_card_authorization_rejected_check
  CHECK (type <> 'card_authorization' OR (status = 'rejected' AND from_account_id IS NOT NULL
    AND to_account_id IS NULL));
ALTER TABLE transactions ADD CONSTRAINT transactions_card_capture_shape_check
  CHECK (type <> 'card_capture' OR (from_account_id IS NOT NULL AND to_account_id IS NULL));
ALTER TABLE transactions ADD CONSTRAINT transactions_card_refund_shape_check
  CHECK (type <> 'card_refund' OR (from_account_id IS NULL AND to_account_id IS NOT NULL));

-- Foreign exchange (domain/fx_quotes.ts, domain/planners/fx_transfer.ts): per-user mid-rate
-- overrides, quotes used once, and the bank's own FX position accounts, which take the other side
-- of every cross-currency transfer so that money is conserved in each currency.

-- The bank itself, owner of its FX position accounts. Its password hash is of a random secret
-- nobody kept: nobody can sign in as it.
INSERT INTO users (id, name, email, password_hash, created_at) VALUES (
  '00000000-0000-4000-8000-000000000f00', 'Bank FX desk', 'fx-desk@bank.invalid',
  '$argon2id$v=19$m=19456,t=2,p=1$EMALZKLXmGRRx7lI7/KIeg$P8tzPjcbwbmnzs3QBCjEeXbK4I7Uisr58DYMkxtVic0',
  now());

-- A customer account never goes negative; a position account may: it is short of the currency it
-- paid out (the bank's FX exposure), long of the one it took in.
ALTER TABLE accounts ADD COLUMN kind text NOT NULL DEFAULT 'customer'
  CHECK (kind IN ('customer', 'fx_position'));
ALTER TABLE accounts DROP CONSTRAINT accounts_balance_check;
ALTER TABLE accounts ADD CONSTRAINT accounts_balance_check
  CHECK (balance >= 0 OR kind = 'fx_position');
ALTER TABLE accounts ADD CONSTRAINT accounts_fx_position_owner
  CHECK (kind = 'customer' OR user_id = '00000000-0000-4000-8000-000000000f00');
CREATE UNIQUE INDEX accounts_one_fx_position_per_currency ON accounts (currency)
  WHERE kind = 'fx_position';

-- One per supported currency (domain/fx_positions.ts names the same ids). Their numbers start
-- with 0, which no customer number does (domain/account_number.ts).
INSERT INTO accounts (id, user_id, account_number, currency, kind, created_at, updated_at)
SELECT p.id, '00000000-0000-4000-8000-000000000f00', p.number, p.currency, 'fx_position', now(),
  now()
FROM (VALUES
  ('00000000-0000-4000-8000-000000000f01'::uuid, '0000000018', 'ZAR'),
  ('00000000-0000-4000-8000-000000000f02'::uuid, '0000000026', 'USD'),
  ('00000000-0000-4000-8000-000000000f03'::uuid, '0000000034', 'EUR'),
  ('00000000-0000-4000-8000-000000000f04'::uuid, '0000000042', 'GBP'),
  ('00000000-0000-4000-8000-000000000f05'::uuid, '0000000059', 'CHF'),
  ('00000000-0000-4000-8000-000000000f06'::uuid, '0000000067', 'JPY'),
  ('00000000-0000-4000-8000-000000000f07'::uuid, '0000000075', 'KWD')
) AS p (id, number, currency);

-- A user's own mid rates (units per 1 ZAR, decimal text), merged over the shipped table.
CREATE TABLE fx_rate_overrides (
  user_id uuid PRIMARY KEY REFERENCES users (id),
  rates jsonb NOT NULL CHECK (jsonb_typeof(rates) = 'object'),
  set_at timestamptz NOT NULL
);

-- A quote: a locked rate for one pair and amount, usable once before it expires (sandbox clock).
CREATE TABLE fx_quotes (
  id uuid PRIMARY KEY,
  user_id uuid NOT NULL REFERENCES users (id),
  from_currency text NOT NULL CHECK (from_currency ~ '^[A-Z]{3}$'),
  to_currency text NOT NULL CHECK (to_currency ~ '^[A-Z]{3}$'),
  rate text NOT NULL CHECK (rate ~ '^[0-9]+(\.[0-9]+)?$' AND rate ~ '[1-9]'),
  sell_amount bigint NOT NULL CHECK (sell_amount > 0),
  buy_amount bigint NOT NULL CHECK (buy_amount > 0),
  created_at timestamptz NOT NULL,
  expires_at timestamptz NOT NULL,
  -- Set once, by the transfer that used it (the writer, in the statement that moves the money).
  used_at timestamptz,
  transaction_id uuid,
  from_account_id uuid REFERENCES accounts (id),
  to_account_id uuid REFERENCES accounts (id),
  CHECK (from_currency <> to_currency),
  CHECK (expires_at > created_at),
  CHECK ((used_at IS NULL) = (transaction_id IS NULL)
    AND (used_at IS NULL) = (from_account_id IS NULL)
    AND (used_at IS NULL) = (to_account_id IS NULL))
);
CREATE INDEX fx_quotes_by_user ON fx_quotes (user_id, created_at);

-- An FX transfer is two approved transfer rows sharing its quote: the source leg (customer ->
-- the position account of the source currency) and the destination leg (the position account of
-- the destination currency -> customer). Only a position account's balance may go negative.
ALTER TABLE transactions ADD COLUMN fx_quote_id uuid REFERENCES fx_quotes (id);
ALTER TABLE transactions ADD COLUMN fx_leg text CHECK (fx_leg IN ('source', 'destination'));
ALTER TABLE transactions ADD CONSTRAINT transactions_fx_leg_of_quote
  CHECK ((fx_leg IS NULL) = (fx_quote_id IS NULL)
    AND (fx_leg IS NULL OR (type = 'transfer' AND status = 'approved')));
CREATE UNIQUE INDEX transactions_one_leg_per_quote ON transactions (fx_quote_id, fx_leg)
  WHERE fx_quote_id IS NOT NULL;
ALTER TABLE transactions DROP CONSTRAINT transactions_from_balance_after_check;
ALTER TABLE transactions DROP CONSTRAINT transactions_to_balance_after_check;
ALTER TABLE transactions ADD CONSTRAINT transactions_from_balance_after_check
  CHECK (from_balance_after >= 0 OR coalesce(fx_leg, '') = 'destination');
ALTER TABLE transactions ADD CONSTRAINT transactions_to_balance_after_check
  CHECK (to_balance_after >= 0 OR coalesce(fx_leg, '') = 'source');

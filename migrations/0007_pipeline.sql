-- The movement pipeline: a refused hold is a ledger row like every other refusal. A `hold` row
-- is only ever rejected (an approved hold reserves money and moves none), from the held account.
ALTER TABLE transactions DROP CONSTRAINT transactions_type_check;
ALTER TABLE transactions ADD CONSTRAINT transactions_type_check CHECK (type IN (
  'deposit', 'withdraw', 'transfer', 'payment_out', 'payment_in', 'payment_return', 'hold_capture',
  'hold'
));
ALTER TABLE transactions ADD CONSTRAINT transactions_hold_rejected_check
  CHECK (type <> 'hold' OR (status = 'rejected' AND from_account_id IS NOT NULL
    AND to_account_id IS NULL));

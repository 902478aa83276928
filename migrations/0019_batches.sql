-- Batches (domain/batches.ts): one record per decided batch, and its items' ledger rows carry its
-- id, so that the audit (db/audit.ts) reconciles each batch with the rows it posted or refused.
-- Written only by db/writer.ts, in the statement that writes the items.

CREATE TABLE batches (
  id uuid PRIMARY KEY,
  seq bigint GENERATED ALWAYS AS IDENTITY UNIQUE,
  user_id uuid NOT NULL REFERENCES users (id),
  -- What its items are: transfers (POST /transactions/batch) or payments (POST /payments/bulk).
  kind text NOT NULL CHECK (kind IN ('transfer', 'payment_out')),
  atomic boolean NOT NULL,
  -- posted: the items stood as decided; rejected: an atomic batch refused whole.
  status text NOT NULL CHECK (status IN ('posted', 'rejected')),
  items integer NOT NULL CHECK (items BETWEEN 1 AND 1000),
  approved integer NOT NULL CHECK (approved >= 0),
  rejected integer NOT NULL CHECK (rejected >= 0),
  -- Items that failed on their own (not found): they have no ledger row.
  failed integer NOT NULL CHECK (failed >= 0),
  created_at timestamptz NOT NULL,
  CHECK (approved + rejected + failed = items),
  CHECK (status = 'posted' OR (atomic AND approved = 0))
);
CREATE INDEX batches_by_user ON batches (user_id, seq DESC);

ALTER TABLE transactions ADD COLUMN batch_id uuid REFERENCES batches (id);
CREATE INDEX transactions_by_batch ON transactions (batch_id) WHERE batch_id IS NOT NULL;

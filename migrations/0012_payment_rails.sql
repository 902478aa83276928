-- Payment rails (domain/business_days.ts, domain/payments.ts): a payment goes `instant` or by
-- `eft` (settles in a business day's clearing run), a return carries its ISO 20022 code, a settled
-- outbound payment may still be returned within the return window, and the network may schedule
-- a return after settlement (`settle_then_return`, due at returns_at on the owner's clock).

ALTER TABLE payments
  ADD COLUMN rail text NOT NULL DEFAULT 'instant' CHECK (rail IN ('instant', 'eft')),
  ADD COLUMN return_code text
    CHECK (return_code IN ('AC01', 'AC04', 'AC06', 'AM04', 'MD01', 'MD06', 'MS03')),
  ADD COLUMN returns_at timestamptz;

-- Every return so far gets the code its reason maps to (domain/payments.ts returnCodeFor).
UPDATE payments SET return_code = CASE return_reason
    WHEN 'no_account' THEN 'AC01'
    WHEN 'account_closed' THEN 'AC04'
    WHEN 'blocked_account' THEN 'AC06'
    WHEN 'insufficient_funds' THEN 'AM04'
    WHEN 'authorization_revoked' THEN 'MD01'
    WHEN 'refund_requested' THEN 'MD06'
    ELSE 'MS03' END
  WHERE return_reason IS NOT NULL;

ALTER TABLE payments
  -- A returned payment names its reason and its code; no other has either.
  ADD CONSTRAINT payments_return_code_with_reason
    CHECK ((return_code IS NULL) = (return_reason IS NULL)),
  DROP CONSTRAINT payments_scheduled_outcome_check,
  ADD CONSTRAINT payments_scheduled_outcome_check
    CHECK (scheduled_outcome IN ('settle', 'return', 'manual', 'settle_then_return')),
  DROP CONSTRAINT payments_check,
  ADD CONSTRAINT payments_scheduled_reason_check
    CHECK ((scheduled_outcome IN ('return', 'settle_then_return'))
      = (scheduled_return_reason IS NOT NULL)),
  -- Only a payment the network will take back after settling has a time for it.
  ADD CONSTRAINT payments_returns_at_check
    CHECK ((scheduled_outcome = 'settle_then_return') = (returns_at IS NOT NULL)),
  -- A settled payment has its settlement time; a returned one may have settled before it went
  -- back (a return after settlement), nothing else has one.
  DROP CONSTRAINT payments_check2,
  ADD CONSTRAINT payments_settled_at_check
    CHECK ((status <> 'settled' OR settled_at IS NOT NULL)
      AND (settled_at IS NULL OR status IN ('settled', 'returned'))),
  -- Money that went back after settling went back after it settled.
  ADD CONSTRAINT payments_returned_after_settling
    CHECK (settled_at IS NULL OR returned_at IS NULL OR returned_at >= settled_at),
  ADD CONSTRAINT payments_settled_return_outbound
    CHECK (settled_at IS NULL OR returned_at IS NULL OR direction = 'outbound');

-- The clearing worker's second queue: settled payments the network takes back at returns_at.
CREATE INDEX payments_returns_due ON payments (returns_at)
  WHERE status = 'settled' AND returns_at IS NOT NULL;

-- Account lifecycle: active, frozen (money may come in, none goes out) or closed (nothing moves,
-- final). The constraints repeat the domain's rules (domain/account_status.ts): a closed account
-- holds no money, only a frozen one carries a freeze reason, and nothing reopens a closed account.

ALTER TABLE accounts
  ADD COLUMN status text NOT NULL DEFAULT 'active'
    CONSTRAINT accounts_status_check CHECK (status IN ('active', 'frozen', 'closed')),
  ADD COLUMN status_reason text
    CONSTRAINT accounts_status_reason_check
      CHECK (status_reason IS NULL OR length(status_reason) BETWEEN 1 AND 500),
  ADD CONSTRAINT accounts_closed_empty_check CHECK (status <> 'closed' OR balance = 0),
  ADD CONSTRAINT accounts_reason_frozen_check CHECK (status = 'frozen' OR status_reason IS NULL);

CREATE FUNCTION refuse_account_reopen() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'account % is closed: its status is final', OLD.id
    USING ERRCODE = 'check_violation';
END;
$$;
CREATE TRIGGER accounts_closed_is_final
  BEFORE UPDATE OF status ON accounts
  FOR EACH ROW WHEN (OLD.status = 'closed' AND NEW.status <> 'closed')
  EXECUTE FUNCTION refuse_account_reopen();

-- Balance at a time (GET /accounts/{id}/balance?at=): an account's approved credits by time, as
-- transactions_outflow_window already orders its approved debits.
CREATE INDEX transactions_credits_by_time ON transactions (to_account_id, created_at)
  WHERE status = 'approved';

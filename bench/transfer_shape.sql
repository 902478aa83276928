-- pgbench script: the bank's transfer committed alone, without the app. A hand-kept mirror of
-- db/transfers.ts for a group of one (locks and fraud facts, then recordAll; the app sends the
-- locks and the facts as two statements in one round trip) under the bench's settings (velocity
-- limit 5 per 1 s, no holds, daily rule off), run by `deno task bench` on the API's own database
-- after the API phases. Its TPS is what PostgreSQL gives this transaction shape on this machine:
-- the ceiling for an app committing one transfer per transaction (the API commits them in groups).
-- bench_accounts (n, id, user_id) numbers the bench's accounts 1..:accounts.
\set a random(1, :accounts)
\set b random(1, :accounts - 1)
SELECT f.id AS from_id, f.user_id AS from_user, t.id AS to_id, t.user_id AS to_user
FROM bench_accounts f, bench_accounts t
WHERE f.n = :a::int AND t.n = ((:a::int + :b::int - 1) % :accounts::int) + 1 \gset
BEGIN ISOLATION LEVEL SERIALIZABLE;
WITH facts AS (
  SELECT clock.now, (SELECT count(*) FROM (
      SELECT 1 FROM transactions t
      WHERE t.from_account_id = :from_id::uuid AND t.status = 'approved'
        AND t.type = ANY('{transfer,payment_out}'::text[])
        AND t.created_at > clock.now - 1 * interval '1 second'
      LIMIT 5) AS window_rows) AS recent_count, 0::bigint AS outflow_24h
  FROM (SELECT now() + clock_offset_seconds * interval '1 second' AS now
        FROM users WHERE id = :from_user::uuid) AS clock)
SELECT a.id, a.user_id, a.currency, a.balance,
  a.balance - coalesce((SELECT sum(h.amount) FROM holds h
    WHERE h.account_id = a.id AND h.status = 'active'
      AND h.expires_at > now() + u.clock_offset_seconds * interval '1 second'), 0)::bigint
    AS available,
  facts.now, facts.recent_count, facts.outflow_24h
FROM accounts a JOIN users u ON u.id = a.user_id CROSS JOIN facts
WHERE a.id = ANY(ARRAY[:from_id::uuid, :to_id::uuid]) ORDER BY a.id FOR UPDATE OF a;
WITH after AS (
  SELECT (SELECT balance FROM accounts WHERE id = :from_id::uuid) - 1 AS from_balance,
         (SELECT balance FROM accounts WHERE id = :to_id::uuid) + 1 AS to_balance
), entry AS (
  INSERT INTO transactions (
    id, type, from_account_id, to_account_id, amount, currency, status, reason, description,
    from_balance_after, to_balance_after, initiated_by, created_at)
  SELECT gen_random_uuid(), 'transfer', :from_id::uuid, :to_id::uuid, 1, 'ZAR', 'approved', NULL,
         NULL, after.from_balance, after.to_balance, :from_user::uuid, now()
  FROM after
), debit AS (
  UPDATE accounts SET balance = balance - 1, updated_at = now() WHERE id = :from_id::uuid
), credit AS (
  UPDATE accounts SET balance = balance + 1, updated_at = now() WHERE id = :to_id::uuid
)
INSERT INTO events (user_id, type, data, created_at)
SELECT party, 'transaction.approved',
       '{"object":{"type":"transfer","amount":"0.01","currency":"ZAR","status":"approved"}}'::jsonb,
       now()
FROM unnest(ARRAY[:from_user::uuid, :to_user::uuid]) WITH ORDINALITY AS parties (party, position)
ORDER BY position;
COMMIT;

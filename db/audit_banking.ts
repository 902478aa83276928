/**
 * The audit's checks of the banking kinds (db/audit.ts runs them in its snapshot): batches agree
 * with the ledger rows of their items, returns after settlement happened inside the return window
 * with a code, debit orders were collected and reversed when they say (a reversal inside the
 * dispute window), and every standing order's runs are its own payments, counted right.
 */
import { DEBIT_ORDER_DISPUTE_DAYS_DEFAULT } from "../domain/debit_orders.ts";
import { PAYMENT_RETURN_WINDOW_DAYS_DEFAULT } from "../domain/payment_timing.ts";
import type { AuditFinding } from "./audit.ts";
import type { Queryable } from "./client.ts";

/** The windows the bank runs with (PAYMENT_RETURN_WINDOW_DAYS, DEBIT_ORDER_DISPUTE_DAYS). */
export interface BankingWindows {
  returnWindowDays?: number;
  disputeDays?: number;
}

const DAY_SECONDS = 86_400;

/** Every check of this file, in order. */
export async function auditBanking(
  q: Queryable,
  windows: BankingWindows,
): Promise<AuditFinding[]> {
  return [
    ...await auditBatches(q),
    ...await auditReturnsAfterSettlement(
      q,
      windows.returnWindowDays ?? PAYMENT_RETURN_WINDOW_DAYS_DEFAULT,
    ),
    ...await auditDebitOrderDates(q, windows.disputeDays ?? DEBIT_ORDER_DISPUTE_DAYS_DEFAULT),
    ...await auditScheduleRuns(q),
  ];
}

// A batch's record agrees with its items' ledger rows: as many approved and rejected rows as it
// counts, each of its kind and its user's; a batch refused whole was atomic and moved nothing; an
// atomic batch that posted had no item refused or failed; one batch.completed event says the same.
async function auditBatches(q: Queryable): Promise<AuditFinding[]> {
  const rows = await q<{ id: string; problem: string }[]>`
    SELECT b.id, CASE
        WHEN r.approved <> b.approved OR r.rejected <> b.rejected
          THEN 'item rows (' || r.approved || ' approved, ' || r.rejected || ' rejected) '
            || 'disagree with its counts'
        WHEN r.strangers > 0 THEN 'an item row of another kind or user'
        WHEN b.status = 'rejected' AND NOT b.atomic THEN 'refused whole but not atomic'
        WHEN b.atomic AND b.status = 'posted' AND b.rejected + b.failed > 0
          THEN 'atomic, posted with items refused'
        ELSE 'its batch.completed event missing or different'
      END AS problem
    FROM batches b
    CROSS JOIN LATERAL (
      SELECT count(*) FILTER (WHERE t.status = 'approved') AS approved,
        count(*) FILTER (WHERE t.status = 'rejected') AS rejected,
        count(*) FILTER (WHERE t.type <> b.kind OR t.initiated_by <> b.user_id) AS strangers
      FROM transactions t WHERE t.batch_id = b.id AND t.fx_leg IS DISTINCT FROM 'destination'
    ) r
    WHERE r.approved <> b.approved OR r.rejected <> b.rejected OR r.strangers > 0
      OR (b.status = 'rejected' AND NOT b.atomic)
      OR (b.atomic AND b.status = 'posted' AND b.rejected + b.failed > 0)
      OR (SELECT count(*) FROM events e
          WHERE e.type = 'batch.completed' AND e.user_id = b.user_id
            AND e.data -> 'object' ->> 'id' = b.id::text
            AND e.data -> 'object' ->> 'status' = b.status
            AND (e.data -> 'object' ->> 'approved')::int = b.approved
            AND (e.data -> 'object' ->> 'rejected')::int = b.rejected
            AND (e.data -> 'object' ->> 'failed')::int = b.failed) <> 1`;
  return rows.map((row) => ({
    check: "batch_matches_its_items",
    subject: `batch ${row.id}`,
    expected: "its counts, kind and user in its items' ledger rows, and the batch rule kept",
    actual: row.problem,
  }));
}

// A returned payment has its ISO 20022 code, its credit dated when it returned; one returned after
// settling was returned within the return window (that it was outbound and returned no earlier
// than it settled, the payments table's own CHECKs say).
async function auditReturnsAfterSettlement(
  q: Queryable,
  windowDays: number,
): Promise<AuditFinding[]> {
  const window = windowDays * DAY_SECONDS;
  const rows = await q<{ id: string; problem: string }[]>`
    SELECT p.id, CASE
        WHEN p.return_code IS NULL OR p.returned_at IS NULL THEN 'no return code or time'
        WHEN p.settled_at IS NOT NULL
          AND p.returned_at > p.settled_at + make_interval(secs => ${window})
          THEN 'returned after its return window closed'
        ELSE 'its return entry is not dated when it returned'
      END AS problem
    FROM payments p LEFT JOIN transactions t ON t.id = p.return_transaction_id
    WHERE p.status = 'returned' AND (p.return_code IS NULL OR p.returned_at IS NULL
      OR p.returned_at > p.settled_at + make_interval(secs => ${window})
      OR (t.id IS NOT NULL AND t.created_at <> p.returned_at))`;
  return rows.map((row) => ({
    check: "payment_returned_in_window",
    subject: `payment ${row.id}`,
    expected: `a code, and a return no later than ${windowDays} days after settling`,
    actual: row.problem,
  }));
}

// A debit order's collection is dated when it was collected; a reversal when it was reversed, no
// earlier than the collection and inside the dispute window.
async function auditDebitOrderDates(q: Queryable, disputeDays: number): Promise<AuditFinding[]> {
  const window = disputeDays * DAY_SECONDS;
  const rows = await q<{ id: string; problem: string }[]>`
    SELECT d.id, CASE
        WHEN c.created_at <> coalesce(d.collected_at, d.collect_at)
          THEN 'its collection entry is not dated when it was collected'
        WHEN d.reversed_at < d.collected_at THEN 'reversed before it was collected'
        WHEN d.reversed_at > d.collected_at + make_interval(secs => ${window})
          THEN 'reversed after its dispute window closed'
        ELSE 'its reversal entry is not dated when it was reversed'
      END AS problem
    FROM debit_orders d
    JOIN transactions c ON c.id = d.transaction_id
    LEFT JOIN transactions r ON r.id = d.reversal_transaction_id
    WHERE c.created_at <> coalesce(d.collected_at, d.collect_at)
      OR d.reversed_at < d.collected_at
      OR d.reversed_at > d.collected_at + make_interval(secs => ${window})
      OR r.created_at <> d.reversed_at`;
  return rows.map((row) => ({
    check: "debit_order_dated_in_window",
    subject: `debit order ${row.id}`,
    expected: `entries dated by the order, a reversal within ${disputeDays} days of collection`,
    actual: row.problem,
  }));
}

// Each run of a standing order is an outbound eft payment of its user, account, amount and
// counterparty; a schedule has made exactly the runs recorded, numbered 1 … runs_made.
async function auditScheduleRuns(q: Queryable): Promise<AuditFinding[]> {
  const rows = await q<{ id: string; problem: string }[]>`
    SELECT s.id, 'run ' || r.run_number || ' is not a payment of the schedule' AS problem
    FROM payment_schedule_runs r JOIN payment_schedules s ON s.id = r.schedule_id
    LEFT JOIN payments p ON p.id = r.payment_id
    WHERE p.id IS NULL OR p.direction <> 'outbound' OR p.rail <> 'eft'
      OR p.user_id <> s.user_id OR p.account_id <> s.account_id OR p.amount <> s.amount
      OR p.counterparty <> s.counterparty
    UNION ALL
    SELECT s.id, 'runs_made ' || s.runs_made || ' but ' || count(r.run_number) || ' runs recorded'
    FROM payment_schedules s LEFT JOIN payment_schedule_runs r ON r.schedule_id = s.id
    GROUP BY s.id
    HAVING s.runs_made <> count(r.run_number) OR s.runs_made <> coalesce(max(r.run_number), 0)`;
  return rows.map((row) => ({
    check: "schedule_runs_are_its_payments",
    subject: `payment schedule ${row.id}`,
    expected: "each run an eft payment of the schedule, runs_made of them",
    actual: row.problem,
  }));
}

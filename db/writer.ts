/**
 * The pipeline's one writer: every plan of a group — ledger rows with the balances they leave,
 * the accounts' final balances, holds and payments created or changed, the events and their webhook
 * deliveries (the outbox) — in one statement. Plans arrive decided (domain/pipeline.ts); this only turns them into arrays. The
 * accounts' and rows' CHECKs guard the invariants again.
 */
import type { DecidedPlan, FinalBalances } from "../domain/pipeline.ts";
import type { Tx } from "./client.ts";
import { queueDeliveriesSql } from "./events.ts";

/** Writes the group's plans, in order. */
export async function writePlans(
  tx: Tx,
  plans: readonly DecidedPlan[],
  balances: FinalBalances,
): Promise<void> {
  const ledger = ledgerArrays(plans);
  const holds = holdArrays(plans);
  const payments = paymentArrays(plans);
  const events = eventArrays(plans);
  const accounts = [...balances];
  await tx`
    WITH entries AS (
      INSERT INTO transactions (
        id, type, from_account_id, to_account_id, amount, currency, status, reason, description,
        from_balance_after, to_balance_after, initiated_by, created_at)
      SELECT id, type, from_account_id, to_account_id, amount, currency, status, reason,
        description, from_balance_after, to_balance_after, initiated_by, created_at
      FROM unnest(
        ${ledger.id}::uuid[], ${ledger.type}::text[], ${ledger.from}::uuid[],
        ${ledger.to}::uuid[], ${ledger.amount}::bigint[], ${ledger.currency}::text[],
        ${ledger.status}::text[], ${ledger.reason}::text[], ${ledger.description}::text[],
        ${ledger.fromAfter}::bigint[], ${ledger.toAfter}::bigint[], ${ledger.initiatedBy}::uuid[],
        ${ledger.createdAt}::timestamptz[]
      ) WITH ORDINALITY AS w (
        id, type, from_account_id, to_account_id, amount, currency, status, reason, description,
        from_balance_after, to_balance_after, initiated_by, created_at, position)
      ORDER BY position
    ), balances AS (
      UPDATE accounts a SET balance = b.balance, updated_at = b.updated_at
      FROM unnest(
        ${accounts.map(([id]) => id)}::uuid[],
        ${accounts.map(([, after]) => String(after.balance))}::bigint[],
        ${accounts.map(([, after]) => after.at.toISOString())}::timestamptz[]
      ) AS b (id, balance, updated_at)
      -- By the primary key, whatever the planner guesses of b: a scan of accounts would
      -- predicate-lock the whole table and fail concurrent movements with 40001.
      WHERE a.id = ANY(${accounts.map(([id]) => id)}::uuid[]) AND a.id = b.id
    ), held AS (
      INSERT INTO holds (id, user_id, account_id, amount, captured_amount, currency, status,
        description, capture_transaction_id, expires_at, created_at, closed_at)
      SELECT * FROM unnest(
        ${holds.id}::uuid[], ${holds.userId}::uuid[], ${holds.accountId}::uuid[],
        ${holds.amount}::bigint[], ${holds.captured}::bigint[], ${holds.currency}::text[],
        ${holds.status}::text[], ${holds.description}::text[], ${holds.captureId}::uuid[],
        ${holds.expiresAt}::timestamptz[], ${holds.createdAt}::timestamptz[],
        ${holds.closedAt}::timestamptz[])
      ON CONFLICT (id) DO UPDATE SET status = excluded.status,
        captured_amount = excluded.captured_amount,
        capture_transaction_id = excluded.capture_transaction_id, closed_at = excluded.closed_at
    ), paid AS (
      INSERT INTO payments (id, user_id, account_id, direction, amount, currency, counterparty,
        description, status, scheduled_outcome, scheduled_return_reason, return_reason,
        transaction_id, return_transaction_id, created_at, settles_at, settled_at, returned_at,
        rail, return_code, returns_at)
      SELECT * FROM unnest(
        ${payments.id}::uuid[], ${payments.userId}::uuid[], ${payments.accountId}::uuid[],
        ${payments.direction}::text[], ${payments.amount}::bigint[], ${payments.currency}::text[],
        ${payments.counterparty}::text[]::jsonb[], ${payments.description}::text[],
        ${payments.status}::text[], ${payments.scheduledOutcome}::text[],
        ${payments.scheduledReturnReason}::text[], ${payments.returnReason}::text[],
        ${payments.transactionId}::uuid[], ${payments.returnTransactionId}::uuid[],
        ${payments.createdAt}::timestamptz[], ${payments.settlesAt}::timestamptz[],
        ${payments.settledAt}::timestamptz[], ${payments.returnedAt}::timestamptz[],
        ${payments.rail}::text[], ${payments.returnCode}::text[],
        ${payments.returnsAt}::timestamptz[])
      ON CONFLICT (id) DO UPDATE SET status = excluded.status,
        return_reason = excluded.return_reason, return_code = excluded.return_code,
        transaction_id = excluded.transaction_id,
        return_transaction_id = excluded.return_transaction_id,
        settled_at = excluded.settled_at, returned_at = excluded.returned_at
    ), written AS (
      INSERT INTO events (user_id, type, data, created_at)
      SELECT user_id, type, data, created_at
      FROM unnest(
        ${events.userId}::uuid[], ${events.type}::text[], ${events.data}::text[]::jsonb[],
        ${events.at}::timestamptz[]
      ) WITH ORDINALITY AS e (user_id, type, data, created_at, position)
      ORDER BY position
      RETURNING id, user_id, type, created_at
    )
    ${queueDeliveriesSql(tx, tx`written`)}`;
}

const text = (value: bigint | null) => value === null ? null : String(value);
const time = (value: Date | null) => value === null ? null : value.toISOString();

function ledgerArrays(plans: readonly DecidedPlan[]) {
  const rows = plans.flatMap((plan) => plan.written);
  return {
    id: rows.map(({ entry }) => entry.id),
    type: rows.map(({ entry }) => entry.type),
    from: rows.map(({ entry }) => entry.fromAccountId),
    to: rows.map(({ entry }) => entry.toAccountId),
    amount: rows.map(({ entry }) => String(entry.amount)),
    currency: rows.map(({ entry }) => entry.currency),
    status: rows.map(({ entry }) => entry.status),
    reason: rows.map(({ entry }) => entry.reason),
    description: rows.map(({ entry }) => entry.description),
    fromAfter: rows.map((row) => text(row.fromBalanceAfter)),
    toAfter: rows.map((row) => text(row.toBalanceAfter)),
    initiatedBy: rows.map((row) => row.initiatedBy),
    createdAt: rows.map(({ entry }) => entry.createdAt.toISOString()),
  };
}

// A hold changed twice in one group (placed, then captured) is written once, as it ended.
function holdArrays(plans: readonly DecidedPlan[]) {
  const rows = [...new Map(plans.flatMap((plan) => plan.holds).map((h) => [h.id, h])).values()];
  return {
    id: rows.map((hold) => hold.id),
    userId: rows.map((hold) => hold.userId),
    accountId: rows.map((hold) => hold.accountId),
    amount: rows.map((hold) => String(hold.amount)),
    captured: rows.map((hold) => String(hold.capturedAmount)),
    currency: rows.map((hold) => hold.currency),
    status: rows.map((hold) => hold.status),
    description: rows.map((hold) => hold.description),
    captureId: rows.map((hold) => hold.captureTransactionId),
    expiresAt: rows.map((hold) => hold.expiresAt.toISOString()),
    createdAt: rows.map((hold) => hold.createdAt.toISOString()),
    closedAt: rows.map((hold) => time(hold.closedAt)),
  };
}

function paymentArrays(plans: readonly DecidedPlan[]) {
  const all = plans.flatMap((plan) => plan.payments);
  const rows = [...new Map(all.map((payment) => [payment.id, payment])).values()];
  return {
    id: rows.map((p) => p.id),
    userId: rows.map((p) => p.userId),
    accountId: rows.map((p) => p.accountId),
    direction: rows.map((p) => p.direction),
    amount: rows.map((p) => String(p.amount)),
    currency: rows.map((p) => p.currency),
    counterparty: rows.map((p) => JSON.stringify(p.counterparty)),
    description: rows.map((p) => p.description),
    status: rows.map((p) => p.status),
    scheduledOutcome: rows.map((p) => p.scheduledOutcome),
    scheduledReturnReason: rows.map((p) => p.scheduledReturnReason),
    returnReason: rows.map((p) => p.returnReason),
    transactionId: rows.map((p) => p.transactionId),
    returnTransactionId: rows.map((p) => p.returnTransactionId),
    createdAt: rows.map((p) => p.createdAt.toISOString()),
    settlesAt: rows.map((p) => p.settlesAt.toISOString()),
    settledAt: rows.map((p) => time(p.settledAt)),
    returnedAt: rows.map((p) => time(p.returnedAt)),
    rail: rows.map((p) => p.rail),
    returnCode: rows.map((p) => p.returnCode),
    returnsAt: rows.map((p) => time(p.returnsAt)),
  };
}

function eventArrays(plans: readonly DecidedPlan[]) {
  const rows = plans.flatMap((plan) => plan.events);
  return {
    userId: rows.map((event) => event.userId),
    type: rows.map((event) => event.type),
    data: rows.map((event) => JSON.stringify({ object: event.object })),
    at: rows.map((event) => event.createdAt.toISOString()),
  };
}

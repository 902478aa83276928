/**
 * The pipeline's one writer: every plan of a group — ledger rows with the balances they leave,
 * the accounts' final balances, holds, payments, schedules (and their runs) and debit orders
 * created or changed, the events and their webhook
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
  const schedules = scheduleArrays(plans);
  const runs = runArrays(plans);
  const orders = debitOrderArrays(plans);
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
    ), scheduled AS (
      INSERT INTO payment_schedules (id, user_id, account_id, amount, currency, counterparty,
        description, run_interval, start_date, next_run_on, next_run_at, runs_made, count,
        end_date, status, created_at, ended_at)
      SELECT * FROM unnest(
        ${schedules.id}::uuid[], ${schedules.userId}::uuid[], ${schedules.accountId}::uuid[],
        ${schedules.amount}::bigint[], ${schedules.currency}::text[],
        ${schedules.counterparty}::text[]::jsonb[], ${schedules.description}::text[],
        ${schedules.interval}::text[], ${schedules.startDate}::date[],
        ${schedules.nextRunOn}::date[], ${schedules.nextRunAt}::timestamptz[],
        ${schedules.runsMade}::int[], ${schedules.count}::int[], ${schedules.endDate}::date[],
        ${schedules.status}::text[], ${schedules.createdAt}::timestamptz[],
        ${schedules.endedAt}::timestamptz[])
      ON CONFLICT (id) DO UPDATE SET next_run_on = excluded.next_run_on,
        next_run_at = excluded.next_run_at, runs_made = excluded.runs_made,
        status = excluded.status, ended_at = excluded.ended_at
    ), ran AS (
      -- No ON CONFLICT: a run made twice fails the group on the primary key.
      INSERT INTO payment_schedule_runs (schedule_id, run_number, run_on, payment_id, created_at)
      SELECT * FROM unnest(
        ${runs.scheduleId}::uuid[], ${runs.runNumber}::int[], ${runs.runOn}::date[],
        ${runs.paymentId}::uuid[], ${runs.createdAt}::timestamptz[])
    ), debited AS (
      INSERT INTO debit_orders (id, user_id, account_id, amount, currency, creditor, collect_on,
        collect_at, status, reason, transaction_id, reversal_transaction_id, created_at,
        collected_at, reversed_at)
      SELECT * FROM unnest(
        ${orders.id}::uuid[], ${orders.userId}::uuid[], ${orders.accountId}::uuid[],
        ${orders.amount}::bigint[], ${orders.currency}::text[],
        ${orders.creditor}::text[]::jsonb[], ${orders.collectOn}::date[],
        ${orders.collectAt}::timestamptz[], ${orders.status}::text[], ${orders.reason}::text[],
        ${orders.transactionId}::uuid[], ${orders.reversalId}::uuid[],
        ${orders.createdAt}::timestamptz[], ${orders.collectedAt}::timestamptz[],
        ${orders.reversedAt}::timestamptz[])
      ON CONFLICT (id) DO UPDATE SET status = excluded.status, reason = excluded.reason,
        transaction_id = excluded.transaction_id,
        reversal_transaction_id = excluded.reversal_transaction_id,
        collected_at = excluded.collected_at, reversed_at = excluded.reversed_at
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

// A row changed twice in one group is written once, as it ended.
function lastOf<T extends { id: string }>(rows: T[]): T[] {
  return [...new Map(rows.map((row) => [row.id, row])).values()];
}

function scheduleArrays(plans: readonly DecidedPlan[]) {
  const rows = lastOf(plans.flatMap((plan) => plan.schedules ?? []));
  return {
    id: rows.map((s) => s.id),
    userId: rows.map((s) => s.userId),
    accountId: rows.map((s) => s.accountId),
    amount: rows.map((s) => String(s.amount)),
    currency: rows.map((s) => s.currency),
    counterparty: rows.map((s) => JSON.stringify(s.counterparty)),
    description: rows.map((s) => s.description),
    interval: rows.map((s) => s.interval),
    startDate: rows.map((s) => s.startDate),
    nextRunOn: rows.map((s) => s.nextRunOn),
    nextRunAt: rows.map((s) => time(s.nextRunAt)),
    runsMade: rows.map((s) => s.runsMade),
    count: rows.map((s) => s.count),
    endDate: rows.map((s) => s.endDate),
    status: rows.map((s) => s.status),
    createdAt: rows.map((s) => s.createdAt.toISOString()),
    endedAt: rows.map((s) => time(s.endedAt)),
  };
}

function runArrays(plans: readonly DecidedPlan[]) {
  const rows = plans.flatMap((plan) => plan.scheduleRuns ?? []);
  return {
    scheduleId: rows.map((r) => r.scheduleId),
    runNumber: rows.map((r) => r.runNumber),
    runOn: rows.map((r) => r.runOn),
    paymentId: rows.map((r) => r.paymentId),
    createdAt: rows.map((r) => r.createdAt.toISOString()),
  };
}

function debitOrderArrays(plans: readonly DecidedPlan[]) {
  const rows = lastOf(plans.flatMap((plan) => plan.debitOrders ?? []));
  return {
    id: rows.map((o) => o.id),
    userId: rows.map((o) => o.userId),
    accountId: rows.map((o) => o.accountId),
    amount: rows.map((o) => String(o.amount)),
    currency: rows.map((o) => o.currency),
    creditor: rows.map((o) => JSON.stringify(o.creditor)),
    collectOn: rows.map((o) => o.collectOn),
    collectAt: rows.map((o) => o.collectAt.toISOString()),
    status: rows.map((o) => o.status),
    reason: rows.map((o) => o.reason),
    transactionId: rows.map((o) => o.transactionId),
    reversalId: rows.map((o) => o.reversalTransactionId),
    createdAt: rows.map((o) => o.createdAt.toISOString()),
    collectedAt: rows.map((o) => time(o.collectedAt)),
    reversedAt: rows.map((o) => time(o.reversedAt)),
  };
}

/**
 * The pipeline's one writer: every plan of a group — ledger rows with the balances they leave,
 * the accounts' final balances and statuses, holds, payments, card authorizations, schedules (and
 * their runs), debit orders and batches created or changed, FX quotes used, the events and their
 * webhook deliveries (the outbox) — in one statement. Plans arrive decided (domain/pipeline.ts);
 * this only gathers each table's rows, which db/writer_columns.ts turns into arrays. The accounts'
 * and rows' CHECKs guard the invariants again.
 */
import type { DecidedPlan, FinalBalances } from "../domain/pipeline.ts";
import type { Fragment, Tx } from "./client.ts";
import { queueDeliveriesSql } from "./events.ts";
import {
  accountColumns,
  authorizationColumns,
  batchColumns,
  debitOrderColumns,
  eventColumns,
  holdColumns,
  ledgerColumns,
  paymentColumns,
  quoteColumns,
  runColumns,
  scheduleColumns,
} from "./writer_columns.ts";

/**
 * Writes the group's plans, in order. The statement is sent at once and its promise returned:
 * the pipeline leaves it in flight, with the COMMIT right behind it (serializable.ts `InFlight`).
 */
export function writePlans(
  tx: Tx,
  plans: readonly DecidedPlan[],
  balances: FinalBalances,
): Promise<void> {
  // Only the tables the group changes are in the statement: a transfer group's statement has
  // three of its eleven parts (ledger rows, balances, events), and each part left out is eleven to
  // twenty array parameters the driver need not encode nor PostgreSQL parse and plan.
  const parts = [
    batchesPart(tx, plans),
    entriesPart(tx, plans),
    balancesPart(tx, plans, balances),
    holdsPart(tx, plans),
    paymentsPart(tx, plans),
    authorizationsPart(tx, plans),
    quotesPart(tx, plans),
    schedulesPart(tx, plans),
    runsPart(tx, plans),
    debitOrdersPart(tx, plans),
  ].filter((part) => part !== undefined);
  const events = eventColumns(plans.flatMap((plan) => plan.events));
  // The parts run in one statement, on one snapshot; each ends with the comma before the next.
  const leading = parts.reduce((sql, part) => tx`${sql} ${part}`, tx``);
  return tx`
    WITH ${leading} written AS (
      INSERT INTO events (user_id, type, data, created_at)
      SELECT user_id, type, data, created_at
      FROM unnest(
        ${events.userId}::uuid[], ${events.type}::text[], ${events.data}::text[]::jsonb[],
        ${events.at}::timestamptz[]
      ) WITH ORDINALITY AS e (user_id, type, data, created_at, position)
      ORDER BY position
      RETURNING id, user_id, type, created_at
    )
    ${queueDeliveriesSql(tx, tx`written`)}`.then(() => {});
}

type Plans = readonly DecidedPlan[];

// A row changed twice in one group (a hold placed, then captured) is written once, as it ended.
function lastOf<T extends { id: string }>(rows: readonly T[]): T[] {
  return [...new Map(rows.map((row) => [row.id, row])).values()];
}

function batchesPart(tx: Tx, plans: Plans): Fragment | undefined {
  const rows = plans.flatMap((plan) => plan.batches ?? []);
  if (rows.length === 0) return undefined;
  const batches = batchColumns(rows);
  return tx`
    batched AS (
      INSERT INTO batches (id, user_id, kind, atomic, status, items, approved, rejected, failed,
        created_at)
      SELECT * FROM unnest(
        ${batches.id}::uuid[], ${batches.userId}::uuid[], ${batches.kind}::text[],
        ${batches.atomic}::text[]::boolean[], ${batches.status}::text[], ${batches.items}::int[],
        ${batches.approved}::int[], ${batches.rejected}::int[], ${batches.failed}::int[],
        ${batches.createdAt}::timestamptz[])
    ),`;
}

function entriesPart(tx: Tx, plans: Plans): Fragment | undefined {
  const rows = plans.flatMap((plan) =>
    plan.written.map((row) => ({ ...row, batchId: plan.batchId ?? null }))
  );
  if (rows.length === 0) return undefined;
  const ledger = ledgerColumns(rows);
  return tx`
    entries AS (
      INSERT INTO transactions (
        id, type, from_account_id, to_account_id, amount, currency, status, reason, description,
        from_balance_after, to_balance_after, initiated_by, created_at, fx_quote_id, fx_leg,
        batch_id)
      SELECT id, type, from_account_id, to_account_id, amount, currency, status, reason,
        description, from_balance_after, to_balance_after, initiated_by, created_at, fx_quote_id,
        fx_leg, batch_id
      FROM unnest(
        ${ledger.id}::uuid[], ${ledger.type}::text[], ${ledger.from}::uuid[],
        ${ledger.to}::uuid[], ${ledger.amount}::bigint[], ${ledger.currency}::text[],
        ${ledger.status}::text[], ${ledger.reason}::text[], ${ledger.description}::text[],
        ${ledger.fromAfter}::bigint[], ${ledger.toAfter}::bigint[], ${ledger.initiatedBy}::uuid[],
        ${ledger.createdAt}::timestamptz[], ${ledger.fxQuoteId}::uuid[], ${ledger.fxLeg}::text[],
        ${ledger.batchId}::uuid[]
      ) WITH ORDINALITY AS w (
        id, type, from_account_id, to_account_id, amount, currency, status, reason, description,
        from_balance_after, to_balance_after, initiated_by, created_at, fx_quote_id, fx_leg,
        batch_id, position)
      ORDER BY position
    ),`;
}

function balancesPart(tx: Tx, plans: Plans, balances: FinalBalances): Fragment | undefined {
  const statuses = new Map(
    plans.flatMap((plan) => plan.statuses ?? []).map((change) => [change.accountId, change]),
  );
  const ids = [...new Set([...balances.keys(), ...statuses.keys()])];
  if (ids.length === 0) return undefined;
  const accounts = accountColumns(ids, balances, statuses);
  return tx`
    balances AS (
      -- One UPDATE per account for balance and status alike: a row may change once a statement.
      UPDATE accounts a SET balance = coalesce(b.balance, a.balance),
        -- A status is never null: null here means the plan left it as it was.
        status = coalesce(b.status, a.status),
        status_reason = CASE WHEN b.status IS NULL THEN a.status_reason ELSE b.status_reason END,
        updated_at = b.updated_at
      FROM unnest(
        ${accounts.id}::uuid[], ${accounts.balance}::bigint[], ${accounts.status}::text[],
        ${accounts.statusReason}::text[], ${accounts.updatedAt}::timestamptz[]
      ) AS b (id, balance, status, status_reason, updated_at)
      -- By the primary key, whatever the planner guesses of b: a scan of accounts would
      -- predicate-lock the whole table and fail concurrent movements with 40001.
      WHERE a.id = ANY(${accounts.id}::uuid[]) AND a.id = b.id
    ),`;
}

function holdsPart(tx: Tx, plans: Plans): Fragment | undefined {
  const rows = lastOf(plans.flatMap((plan) => plan.holds));
  if (rows.length === 0) return undefined;
  const holds = holdColumns(rows);
  return tx`
    held AS (
      INSERT INTO holds (id, user_id, account_id, amount, captured_amount, currency, status,
        source, description, capture_transaction_id, expires_at, created_at, closed_at)
      SELECT * FROM unnest(
        ${holds.id}::uuid[], ${holds.userId}::uuid[], ${holds.accountId}::uuid[],
        ${holds.amount}::bigint[], ${holds.captured}::bigint[], ${holds.currency}::text[],
        ${holds.status}::text[], ${holds.source}::text[], ${holds.description}::text[],
        ${holds.captureId}::uuid[], ${holds.expiresAt}::timestamptz[],
        ${holds.createdAt}::timestamptz[], ${holds.closedAt}::timestamptz[])
      -- A card hold's amount follows its authorization's increments and reversals.
      ON CONFLICT (id) DO UPDATE SET status = excluded.status, amount = excluded.amount,
        captured_amount = excluded.captured_amount,
        capture_transaction_id = excluded.capture_transaction_id, closed_at = excluded.closed_at
    ),`;
}

function paymentsPart(tx: Tx, plans: Plans): Fragment | undefined {
  const rows = lastOf(plans.flatMap((plan) => plan.payments));
  if (rows.length === 0) return undefined;
  const payments = paymentColumns(rows);
  return tx`
    paid AS (
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
    ),`;
}

function authorizationsPart(tx: Tx, plans: Plans): Fragment | undefined {
  const rows = lastOf(plans.flatMap((plan) => plan.authorizations ?? []));
  if (rows.length === 0) return undefined;
  const authorizations = authorizationColumns(rows);
  return tx`
    authorized AS (
      INSERT INTO card_authorizations (id, user_id, card_id, account_id, hold_id, amount,
        captured_amount, refunded_amount, currency, merchant_name, merchant_mcc, merchant_country,
        status, decline_reason, transaction_id, created_at, expires_at)
      SELECT * FROM unnest(
        ${authorizations.id}::uuid[], ${authorizations.userId}::uuid[],
        ${authorizations.cardId}::uuid[], ${authorizations.accountId}::uuid[],
        ${authorizations.holdId}::uuid[], ${authorizations.amount}::bigint[],
        ${authorizations.captured}::bigint[], ${authorizations.refunded}::bigint[],
        ${authorizations.currency}::text[], ${authorizations.merchantName}::text[],
        ${authorizations.merchantMcc}::text[], ${authorizations.merchantCountry}::text[],
        ${authorizations.status}::text[], ${authorizations.declineReason}::text[],
        ${authorizations.transactionId}::uuid[], ${authorizations.createdAt}::timestamptz[],
        ${authorizations.expiresAt}::timestamptz[])
      ON CONFLICT (id) DO UPDATE SET status = excluded.status, amount = excluded.amount,
        captured_amount = excluded.captured_amount, refunded_amount = excluded.refunded_amount,
        transaction_id = excluded.transaction_id
    ),`;
}

function quotesPart(tx: Tx, plans: Plans): Fragment | undefined {
  const rows = plans.flatMap((plan) => plan.fxQuotes ?? []);
  if (rows.length === 0) return undefined;
  const quotes = quoteColumns(rows);
  return tx`
    quoted AS (
      -- A quote is used once: only an unused one is marked (the row lock made sure it was).
      UPDATE fx_quotes q SET used_at = u.used_at, transaction_id = u.transaction_id,
        from_account_id = u.from_account_id, to_account_id = u.to_account_id
      FROM unnest(
        ${quotes.id}::uuid[], ${quotes.usedAt}::timestamptz[], ${quotes.transactionId}::uuid[],
        ${quotes.fromAccountId}::uuid[], ${quotes.toAccountId}::uuid[]
      ) AS u (id, used_at, transaction_id, from_account_id, to_account_id)
      WHERE q.id = ANY(${quotes.id}::uuid[]) AND q.id = u.id AND q.used_at IS NULL
    ),`;
}

function schedulesPart(tx: Tx, plans: Plans): Fragment | undefined {
  const rows = lastOf(plans.flatMap((plan) => plan.schedules ?? []));
  if (rows.length === 0) return undefined;
  const schedules = scheduleColumns(rows);
  return tx`
    scheduled AS (
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
    ),`;
}

function runsPart(tx: Tx, plans: Plans): Fragment | undefined {
  const rows = plans.flatMap((plan) => plan.scheduleRuns ?? []);
  if (rows.length === 0) return undefined;
  const runs = runColumns(rows);
  return tx`
    ran AS (
      -- No ON CONFLICT: a run made twice fails the group on the primary key.
      INSERT INTO payment_schedule_runs (schedule_id, run_number, run_on, payment_id, created_at)
      SELECT * FROM unnest(
        ${runs.scheduleId}::uuid[], ${runs.runNumber}::int[], ${runs.runOn}::date[],
        ${runs.paymentId}::uuid[], ${runs.createdAt}::timestamptz[])
    ),`;
}

function debitOrdersPart(tx: Tx, plans: Plans): Fragment | undefined {
  const rows = lastOf(plans.flatMap((plan) => plan.debitOrders ?? []));
  if (rows.length === 0) return undefined;
  const orders = debitOrderColumns(rows);
  return tx`
    debited AS (
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
    ),`;
}

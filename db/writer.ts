/**
 * The pipeline's one writer: every plan of a group — ledger rows with the balances they leave,
 * the accounts' final balances and statuses, holds, payments, card authorizations, schedules (and
 * their runs), debit orders and batches created or changed, FX quotes used, the events and their
 * webhook deliveries (the outbox) — in one statement. Plans arrive decided (domain/pipeline.ts);
 * this only turns them into arrays. The accounts' and rows' CHECKs guard the invariants again.
 */
import type { DecidedPlan, FinalBalances } from "../domain/pipeline.ts";
import type { Fragment, Tx } from "./client.ts";
import { queueDeliveriesSql } from "./events.ts";

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
    batchesPart(tx, batchArrays(plans)),
    entriesPart(tx, ledgerArrays(plans)),
    balancesPart(tx, accountArrays(plans, balances)),
    holdsPart(tx, holdArrays(plans)),
    paymentsPart(tx, paymentArrays(plans)),
    authorizationsPart(tx, authorizationArrays(plans)),
    quotesPart(tx, quoteArrays(plans)),
    schedulesPart(tx, scheduleArrays(plans)),
    runsPart(tx, runArrays(plans)),
    debitOrdersPart(tx, debitOrderArrays(plans)),
  ].filter((part) => part !== undefined);
  const events = eventArrays(plans);
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

function batchesPart(tx: Tx, batches: ReturnType<typeof batchArrays>): Fragment | undefined {
  if (batches.id.length === 0) return undefined;
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

function entriesPart(tx: Tx, ledger: ReturnType<typeof ledgerArrays>): Fragment | undefined {
  if (ledger.id.length === 0) return undefined;
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

function balancesPart(tx: Tx, accounts: ReturnType<typeof accountArrays>): Fragment | undefined {
  if (accounts.id.length === 0) return undefined;
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

function holdsPart(tx: Tx, holds: ReturnType<typeof holdArrays>): Fragment | undefined {
  if (holds.id.length === 0) return undefined;
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

function paymentsPart(tx: Tx, payments: ReturnType<typeof paymentArrays>): Fragment | undefined {
  if (payments.id.length === 0) return undefined;
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

function authorizationsPart(
  tx: Tx,
  authorizations: ReturnType<typeof authorizationArrays>,
): Fragment | undefined {
  if (authorizations.id.length === 0) return undefined;
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

function quotesPart(tx: Tx, quotes: ReturnType<typeof quoteArrays>): Fragment | undefined {
  if (quotes.id.length === 0) return undefined;
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

function schedulesPart(tx: Tx, schedules: ReturnType<typeof scheduleArrays>): Fragment | undefined {
  if (schedules.id.length === 0) return undefined;
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

function runsPart(tx: Tx, runs: ReturnType<typeof runArrays>): Fragment | undefined {
  if (runs.scheduleId.length === 0) return undefined;
  return tx`
    ran AS (
      -- No ON CONFLICT: a run made twice fails the group on the primary key.
      INSERT INTO payment_schedule_runs (schedule_id, run_number, run_on, payment_id, created_at)
      SELECT * FROM unnest(
        ${runs.scheduleId}::uuid[], ${runs.runNumber}::int[], ${runs.runOn}::date[],
        ${runs.paymentId}::uuid[], ${runs.createdAt}::timestamptz[])
    ),`;
}

function debitOrdersPart(
  tx: Tx,
  orders: ReturnType<typeof debitOrderArrays>,
): Fragment | undefined {
  if (orders.id.length === 0) return undefined;
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

// Each account the group changed, once: its final balance, its last status change, the later time.
// The status's time is the change's own (the pipeline decides in arrival order).
function accountArrays(plans: readonly DecidedPlan[], balances: FinalBalances) {
  const statuses = new Map(
    plans.flatMap((plan) => plan.statuses ?? []).map((change) => [change.accountId, change]),
  );
  const ids = [...new Set([...balances.keys(), ...statuses.keys()])];
  const latest = (id: string) => {
    const times = [balances.get(id)?.at, statuses.get(id)?.at].filter((at) => at !== undefined);
    return new Date(Math.max(...times.map((at) => at.getTime())));
  };
  return {
    id: ids,
    balance: ids.map((id) => text(balances.get(id)?.balance ?? null)),
    status: ids.map((id) => statuses.get(id)?.status ?? null),
    statusReason: ids.map((id) => statuses.get(id)?.statusReason ?? null),
    updatedAt: ids.map((id) => latest(id).toISOString()),
  };
}

const text = (value: bigint | null) => value === null ? null : String(value);
const time = (value: Date | null) => value === null ? null : value.toISOString();

function ledgerArrays(plans: readonly DecidedPlan[]) {
  const rows = plans.flatMap((plan) =>
    plan.written.map((row) => ({ ...row, batchId: plan.batchId ?? null }))
  );
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
    fxQuoteId: rows.map(({ entry }) => entry.fx?.quoteId ?? null),
    fxLeg: rows.map(({ entry }) => entry.fx?.leg ?? null),
    batchId: rows.map((row) => row.batchId),
  };
}

function batchArrays(plans: readonly DecidedPlan[]) {
  const rows = plans.flatMap((plan) => plan.batches ?? []);
  return {
    id: rows.map((b) => b.id),
    userId: rows.map((b) => b.userId),
    kind: rows.map((b) => b.kind),
    atomic: rows.map((b) => String(b.atomic)),
    status: rows.map((b) => b.status),
    items: rows.map((b) => b.items),
    approved: rows.map((b) => b.approved),
    rejected: rows.map((b) => b.rejected),
    failed: rows.map((b) => b.failed),
    createdAt: rows.map((b) => b.createdAt.toISOString()),
  };
}

function quoteArrays(plans: readonly DecidedPlan[]) {
  const rows = plans.flatMap((plan) => plan.fxQuotes ?? []);
  return {
    id: rows.map((quote) => quote.id),
    usedAt: rows.map((quote) => time(quote.usedAt)),
    transactionId: rows.map((quote) => quote.transactionId),
    fromAccountId: rows.map((quote) => quote.fromAccountId),
    toAccountId: rows.map((quote) => quote.toAccountId),
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
    source: rows.map((hold) => hold.source),
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

// An authorization changed twice in one group is written once, as it ended.
function authorizationArrays(plans: readonly DecidedPlan[]) {
  const all = plans.flatMap((plan) => plan.authorizations ?? []);
  const rows = [...new Map(all.map((row) => [row.id, row])).values()];
  return {
    id: rows.map((a) => a.id),
    userId: rows.map((a) => a.userId),
    cardId: rows.map((a) => a.cardId),
    accountId: rows.map((a) => a.accountId),
    holdId: rows.map((a) => a.holdId),
    amount: rows.map((a) => String(a.amount)),
    captured: rows.map((a) => String(a.capturedAmount)),
    refunded: rows.map((a) => String(a.refundedAmount)),
    currency: rows.map((a) => a.currency),
    merchantName: rows.map((a) => a.merchant.name),
    merchantMcc: rows.map((a) => a.merchant.mcc),
    merchantCountry: rows.map((a) => a.merchant.country),
    status: rows.map((a) => a.status),
    declineReason: rows.map((a) => a.declineReason),
    transactionId: rows.map((a) => a.transactionId),
    createdAt: rows.map((a) => a.createdAt.toISOString()),
    expiresAt: rows.map((a) => time(a.expiresAt)),
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

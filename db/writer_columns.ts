/**
 * The writer's columns: each table's rows, as decided, turned into the arrays its part of the
 * write statement unnests (db/writer.ts). Money (bigint) and times travel as text, cast back by
 * the statement.
 */
import type { AuthorizationState } from "../domain/card_authorizations.ts";
import type { DebitOrderState } from "../domain/debit_orders.ts";
import type { FxQuoteState } from "../domain/fx_quotes.ts";
import type {
  AccountStatusChange,
  BatchRecord,
  DecidedPlan,
  FinalBalances,
  HoldState,
  PaymentState,
  PlannedEvent,
} from "../domain/pipeline.ts";
import type { ScheduleRun, ScheduleState } from "../domain/schedules.ts";

/** A ledger row as written, with the batch its plan belongs to. */
export type LedgerRow = DecidedPlan["written"][number] & { batchId: string | null };

/**
 * Each account the group changed, once: its final balance, its last status change, the later
 * time. The status's time is the change's own (the pipeline decides in arrival order).
 */
export function accountColumns(
  ids: readonly string[],
  balances: FinalBalances,
  statuses: ReadonlyMap<string, AccountStatusChange>,
) {
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

export function ledgerColumns(rows: readonly LedgerRow[]) {
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

export function batchColumns(rows: readonly BatchRecord[]) {
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

export function quoteColumns(rows: readonly FxQuoteState[]) {
  return {
    id: rows.map((quote) => quote.id),
    usedAt: rows.map((quote) => time(quote.usedAt)),
    transactionId: rows.map((quote) => quote.transactionId),
    fromAccountId: rows.map((quote) => quote.fromAccountId),
    toAccountId: rows.map((quote) => quote.toAccountId),
  };
}

export function holdColumns(rows: readonly HoldState[]) {
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

export function paymentColumns(rows: readonly PaymentState[]) {
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

export function authorizationColumns(rows: readonly AuthorizationState[]) {
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

export function eventColumns(rows: readonly PlannedEvent[]) {
  return {
    userId: rows.map((event) => event.userId),
    type: rows.map((event) => event.type),
    data: rows.map((event) => JSON.stringify({ object: event.object })),
    at: rows.map((event) => event.createdAt.toISOString()),
  };
}

export function scheduleColumns(rows: readonly ScheduleState[]) {
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

export function runColumns(rows: readonly ScheduleRun[]) {
  return {
    scheduleId: rows.map((r) => r.scheduleId),
    runNumber: rows.map((r) => r.runNumber),
    runOn: rows.map((r) => r.runOn),
    paymentId: rows.map((r) => r.paymentId),
    createdAt: rows.map((r) => r.createdAt.toISOString()),
  };
}

export function debitOrderColumns(rows: readonly DebitOrderState[]) {
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

/** Debit orders collected (or failing) when due, and reversed when disputed in time. */
import { checkAccountStatus } from "../account_status.ts";
import {
  assertDisputable,
  debitOrderJson,
  type DebitOrderState,
  decideCollection,
} from "../debit_orders.ts";
import { ConflictError, NotFoundError } from "../errors.ts";
import { APPROVED, type LedgerEntry, type Verdict } from "../ledger.ts";
import type {
  DebitOrderCollectCommand,
  DebitOrderDisputeCommand,
  DebitOrderResult,
  Plan,
  PlanInput,
} from "../pipeline.ts";
import { emptyPlan, ledgerRow, transactionEvents } from "./rows.ts";

/**
 * Plans a due collection, dated at its due time: a debit_order row out of the account when the
 * funds are there (`collected`), else a rejected row with `insufficient_funds`, `account_frozen`
 * or `account_closed` (`failed`). One not
 * scheduled or not yet due (collected by another pass) is a 409.
 */
export function planDebitOrderCollect(
  input: PlanInput<DebitOrderCollectCommand>,
): Plan<DebitOrderResult> {
  const order = ownOrder(input, input.command.debitOrderId);
  if (order.status !== "scheduled" || order.collectAt > input.now) {
    throw new ConflictError("debit_order_not_due", "Cannot collect the debit order: not due");
  }
  const account = input.account(order.accountId);
  if (!account || order.accountId !== input.command.accountId) throw new NotFoundError("Account");
  // A frozen or closed account lets no debit out: the collection fails with that reason.
  const status = checkAccountStatus(account, "out", "collect a debit order");
  const verdict = status.approved ? decideCollection(account, order.amount) : status;
  const entry = ledgerRow(input, {
    type: "debit_order",
    fromAccountId: account.id,
    toAccountId: null,
    amount: order.amount,
    currency: order.currency,
    verdict,
    description: `${order.creditor.name} ${order.creditor.reference}`,
    at: order.collectAt,
  });
  const after: DebitOrderState = verdict.approved
    ? { ...order, status: "collected", transactionId: entry.id, collectedAt: order.collectAt }
    : { ...order, status: "failed", reason: verdict.reason, transactionId: entry.id };
  const type = verdict.approved ? "debit_order.collected" : "debit_order.failed";
  return changed(after, entry, { type, verdict });
}

/**
 * Plans a dispute: a collected order within the dispute window is reversed, its money credited
 * back (debit_order_reversal); otherwise a 409 (`debit_order_not_collected`,
 * `dispute_window_closed`).
 */
export function planDebitOrderDispute(
  input: PlanInput<DebitOrderDisputeCommand>,
): Plan<DebitOrderResult> {
  const order = ownOrder(input, input.command.debitOrderId);
  assertDisputable(order, input.now, input.command.disputeWindowDays);
  const account = input.account(order.accountId);
  if (!account) throw new NotFoundError("Account");
  const entry = ledgerRow(input, {
    type: "debit_order_reversal",
    fromAccountId: null,
    toAccountId: account.id,
    amount: order.amount,
    currency: order.currency,
    verdict: APPROVED,
    description: `Reversal: ${order.creditor.name} ${order.creditor.reference}`,
  });
  const after: DebitOrderState = {
    ...order,
    status: "reversed",
    reversalTransactionId: entry.id,
    reversedAt: input.now,
  };
  return changed(after, entry, { type: "debit_order.reversed", verdict: APPROVED });
}

function ownOrder(
  input: PlanInput<DebitOrderCollectCommand | DebitOrderDisputeCommand>,
  id: string,
): DebitOrderState {
  const order = input.debitOrder(id);
  if (!order || order.userId !== input.command.userId) throw new NotFoundError("Debit order");
  return order;
}

function changed(
  after: DebitOrderState,
  entry: LedgerEntry,
  outcome: { type: string; verdict: Verdict },
): Plan<DebitOrderResult> {
  const { type, verdict } = outcome;
  return {
    ...emptyPlan({ debitOrder: after }),
    verdict,
    ledger: [entry],
    debitOrders: [after],
    events: [
      ...transactionEvents(entry, after.userId),
      { userId: after.userId, type, object: debitOrderJson(after), createdAt: entry.createdAt },
    ],
  };
}

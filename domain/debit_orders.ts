/**
 * Debit orders: a creditor collects from the customer's account on a date (simulated), and the
 * customer may dispute a collection within DEBIT_ORDER_DISPUTE_DAYS to have it reversed. Pure.
 */
import { ConflictError } from "./errors.ts";
import { APPROVED, refuse, type Verdict } from "./ledger.ts";
import { currencyOf, formatAmount } from "./money.ts";
import type { AccountFacts } from "./movements.ts";

/** A debit order's life. */
export const DEBIT_ORDER_STATUSES = ["scheduled", "collected", "failed", "reversed"] as const;
export type DebitOrderStatus = typeof DEBIT_ORDER_STATUSES[number];

/** Days after collection a dispute is accepted, unless configured (DEBIT_ORDER_DISPUTE_DAYS). */
export const DEBIT_ORDER_DISPUTE_DAYS_DEFAULT = 40;

/** Who collects, and the mandate reference they collect under. */
export interface Creditor {
  name: string;
  reference: string;
}

/** A debit order as stored; amounts in minor units. */
export interface DebitOrderState {
  id: string;
  userId: string;
  accountId: string;
  amount: bigint;
  currency: string;
  creditor: Creditor;
  /** `YYYY-MM-DD` in the bank's zone. */
  collectOn: string;
  /** When it falls due on the owner's clock. */
  collectAt: Date;
  status: DebitOrderStatus;
  reason: string | null;
  transactionId: string | null;
  reversalTransactionId: string | null;
  createdAt: Date;
  collectedAt: Date | null;
  reversedAt: Date | null;
}

/** Decides a collection: it never overdraws what the account has available. */
export function decideCollection(account: AccountFacts, amount: bigint): Verdict {
  if (account.available >= amount) return APPROVED;
  const currency = currencyOf(account.currency);
  return refuse(
    "insufficient_funds",
    `Cannot collect the debit order: ${formatAmount(amount, currency)} ${currency.code} is ` +
      `more than the ${formatAmount(account.available, currency)} available`,
  );
}

/** Refuses a dispute of a debit order that was not collected, or after the dispute window. */
export function assertDisputable(order: DebitOrderState, now: Date, windowDays: number): void {
  if (order.status !== "collected" || !order.collectedAt) {
    throw new ConflictError(
      "debit_order_not_collected",
      `Cannot dispute the debit order: it is ${order.status}, not collected`,
    );
  }
  const closesAt = order.collectedAt.getTime() + windowDays * 86_400_000;
  if (now.getTime() > closesAt) {
    throw new ConflictError(
      "dispute_window_closed",
      `Cannot dispute the debit order: the ${windowDays}-day dispute window closed at ` +
        new Date(closesAt).toISOString(),
    );
  }
}

/** A debit order as JSON (API bodies and event payloads). */
export function debitOrderJson(order: DebitOrderState) {
  return {
    id: order.id,
    account_id: order.accountId,
    amount: formatAmount(order.amount, currencyOf(order.currency)),
    currency: order.currency,
    creditor: order.creditor,
    collect_on: order.collectOn,
    status: order.status,
    reason: order.reason,
    transaction_id: order.transactionId,
    reversal_transaction_id: order.reversalTransactionId,
    created_at: order.createdAt.toISOString(),
  };
}

/**
 * An account's lifecycle status and what it lets move: the one rule every kind of movement asks
 * (deposits, withdrawals, transfers, payments, holds, and every kind added later), and the
 * decisions of freezing, unfreezing and closing. Pure: the facts come from the locking read.
 */
import { ConflictError } from "./errors.ts";
import { APPROVED, refuse, type Verdict } from "./ledger.ts";
import { currencyOf, formatAmount } from "./money.ts";

/** The statuses an account passes through; `closed` is final. */
export const ACCOUNT_STATUSES = ["active", "frozen", "closed"] as const;
export type AccountStatus = typeof ACCOUNT_STATUSES[number];

/** Which way money crosses the account: credited to it, or debited from it. */
export type MoneyDirection = "in" | "out";

/**
 * May money move `direction` on an account in `status`? Active: both ways. Frozen: money may
 * come in, none goes out (account_frozen). Closed: nothing either way (account_closed). `verb`
 * names the attempt in the refusal's sentence ("withdraw", "transfer to").
 */
export function checkAccountStatus(
  account: { status: AccountStatus },
  direction: MoneyDirection,
  verb: string,
): Verdict {
  if (account.status === "closed") {
    return refuse("account_closed", `Cannot ${verb}: the account is closed`);
  }
  if (account.status === "frozen" && direction === "out") {
    return refuse(
      "account_frozen",
      `Cannot ${verb}: the account is frozen; money may come in but none may leave`,
    );
  }
  return APPROVED;
}

/** The status changes a customer may ask for. */
export type StatusAction = "freeze" | "unfreeze" | "close";

/** What a close needs to know of the account, as locked. */
export interface CloseFacts {
  status: AccountStatus;
  currency: string;
  /** Ledger balance, minor units. */
  balance: bigint;
  /** Minor units reserved by active, unexpired holds. */
  held: bigint;
  /** Outbound payments still pending: a return would have to credit the closed account. */
  pendingOutboundPayments: number;
}

/**
 * The status an action leaves, or null when the account already stands there (freezing a frozen
 * account, unfreezing an active one, closing a closed one: the request's desired state holds, so
 * it answers 200 and changes nothing — a retry without an Idempotency-Key is harmless). Anything
 * on a closed account but closing it again is a 409 account_already_closed (account_closed is
 * the 422 of a refused movement); closing needs no active hold
 * (409 holds_active), a zero balance (409 balance_not_zero) and no pending outbound payment
 * (409 payments_pending).
 */
export function decideStatusChange(
  action: StatusAction,
  account: CloseFacts,
): AccountStatus | null {
  const target: AccountStatus = action === "freeze"
    ? "frozen"
    : action === "unfreeze"
    ? "active"
    : "closed";
  if (account.status === target) return null;
  if (account.status === "closed") {
    throw new ConflictError(
      "account_already_closed",
      `Cannot ${action} the account: it is closed, and a closed account stays closed`,
    );
  }
  if (target === "closed") assertMayClose(account);
  return target;
}

function assertMayClose(account: CloseFacts): void {
  // Holds first: while one is active the balance cannot be emptied (it reserves part of it).
  if (account.held > 0n) {
    throw new ConflictError(
      "holds_active",
      "Cannot close the account: active holds reserve money on it; capture or void them first",
    );
  }
  const currency = currencyOf(account.currency);
  if (account.balance !== 0n) {
    throw new ConflictError(
      "balance_not_zero",
      `Cannot close the account: its balance is ${
        formatAmount(account.balance, currency)
      } ${currency.code}; move the money out first`,
    );
  }
  if (account.pendingOutboundPayments > 0) {
    throw new ConflictError(
      "payments_pending",
      "Cannot close the account: an outbound payment from it is still pending and could be " +
        "returned to it",
    );
  }
}

/** The event a status change writes. */
export const STATUS_EVENTS: Readonly<Record<AccountStatus, string>> = {
  active: "account.unfrozen",
  frozen: "account.frozen",
  closed: "account.closed",
};

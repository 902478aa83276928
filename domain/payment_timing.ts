/**
 * When a payment's steps fall due: settlement by rail, the network's return after settlement, and
 * the window in which a settled payment may still be returned. Pure: times are given.
 */
import { clearingRunAfter, eftSettlesAt } from "./business_days.ts";
import { ConflictError } from "./errors.ts";
import type { PaymentRail, PaymentView, ScheduledOutcome } from "./payments.ts";
import type { ClearingSettings } from "./pipeline.ts";

/** The default of PAYMENT_RETURN_WINDOW_DAYS: days after settling a payment may be returned. */
export const PAYMENT_RETURN_WINDOW_DAYS_DEFAULT = 60;

/** Seconds in a day of the return window (the sandbox clock's days: 86,400 s each). */
const DAY_SECONDS = 86_400;

/**
 * When a payment created at `createdAt` settles: `instant` after the settlement delay, every day
 * of the year; `eft` in a business day's clearing run (domain/business_days.ts).
 */
export function settlesAtFor(
  rail: PaymentRail,
  createdAt: Date,
  clearing: ClearingSettings,
): Date {
  return rail === "eft"
    ? eftSettlesAt(clearing.calendar, createdAt)
    : new Date(createdAt.getTime() + clearing.settlementSeconds * 1000);
}

/**
 * When the network takes a `settle_then_return` payment back: the clearing run the scheduled
 * number of business days after the day it settles. Null for every other outcome.
 */
export function returnsAtFor(
  outcome: ScheduledOutcome,
  settlesAt: Date,
  clearing: ClearingSettings,
): Date | null {
  if (outcome.kind !== "settle_then_return") return null;
  return clearingRunAfter(clearing.calendar, settlesAt, outcome.afterBusinessDays);
}

/** The last moment a settled payment may still be returned: `windowDays` after it settled. */
export function returnWindowEndsAt(settledAt: Date, windowDays: number): Date {
  return new Date(settledAt.getTime() + windowDays * DAY_SECONDS * 1000);
}

/**
 * Whether a forced return may take this payment now: a pending one always; a settled outbound one
 * up to and including the end of its return window (409 return_window_closed after it); anything
 * else is a 409 payment_not_pending, as before (an inbound payment's money is the customer's once
 * it is in).
 */
export function assertReturnable(
  payment: Pick<PaymentView, "status" | "direction" | "settledAt">,
  now: Date,
  windowDays: number,
): void {
  if (payment.status === "pending") return;
  if (payment.status !== "settled" || payment.direction !== "outbound" || !payment.settledAt) {
    throw new ConflictError(
      "payment_not_pending",
      `Cannot return the payment: it is ${payment.direction} and ${payment.status}; only a ` +
        "pending payment or a settled outbound one can be returned",
    );
  }
  const endsAt = returnWindowEndsAt(payment.settledAt, windowDays);
  if (now > endsAt) {
    throw new ConflictError(
      "return_window_closed",
      `Cannot return the payment: its return window of ${windowDays} days closed at ` +
        endsAt.toISOString(),
    );
  }
}

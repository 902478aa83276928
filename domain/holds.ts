/** Card-style holds: reserving available money, capturing part or all of it, the Hold JSON. */
import { APPROVED, refuse, type Verdict } from "./ledger.ts";
import { currencyOf, formatAmount } from "./money.ts";
import { type AccountFacts, checkFunds } from "./movements.ts";

/** A hold's life: active until captured, voided or expired. */
export const HOLD_STATUSES = ["active", "captured", "voided", "expired"] as const;
export type HoldStatus = typeof HOLD_STATUSES[number];

/** Who placed a hold: a client through /holds, or a card authorization (managed through it). */
export const HOLD_SOURCES = ["api", "card"] as const;
export type HoldSource = typeof HOLD_SOURCES[number];

/** How long a hold lasts when the request does not say, in seconds (7 days). */
export const HOLD_EXPIRES_IN_SECONDS_DEFAULT = 604_800;
/** The longest a hold may last, in seconds (31 days, the longest card authorisation). */
export const HOLD_EXPIRES_IN_SECONDS_MAX = 31 * 86_400;

/** Decides a new hold: it must fit in the available balance. */
export function decideHold(account: AccountFacts, amount: bigint): Verdict {
  return checkFunds(account, amount, "hold");
}

/**
 * What an active hold reserves: its amount less what was captured (a card hold is captured in
 * parts, and past its amount for tips), never below zero.
 */
export function reservedBy(hold: { amount: bigint; capturedAmount: bigint }): bigint {
  const left = hold.amount - hold.capturedAmount;
  return left > 0n ? left : 0n;
}

/** Decides a capture of `amount` out of a hold of `held`; the money is already reserved. */
export function decideCapture(held: bigint, amount: bigint, currencyCode: string): Verdict {
  if (amount <= held) return APPROVED;
  const currency = currencyOf(currencyCode);
  return refuse(
    "capture_exceeds_hold",
    `Cannot capture ${formatAmount(amount, currency)} ${currency.code}: ` +
      `the hold is for ${formatAmount(held, currency)} ${currency.code}`,
  );
}

/** A hold as stored; amounts in minor units. */
export interface HoldView {
  id: string;
  seq: bigint;
  userId: string;
  accountId: string;
  amount: bigint;
  capturedAmount: bigint;
  currency: string;
  status: HoldStatus;
  source: HoldSource;
  description: string | null;
  captureTransactionId: string | null;
  expiresAt: Date;
  createdAt: Date;
  closedAt: Date | null;
}

/** A hold as JSON (API bodies and event payloads). */
export function holdJson(hold: Omit<HoldView, "seq">) {
  const currency = currencyOf(hold.currency);
  return {
    id: hold.id,
    account_id: hold.accountId,
    amount: formatAmount(hold.amount, currency),
    captured_amount: formatAmount(hold.capturedAmount, currency),
    currency: hold.currency,
    status: hold.status,
    source: hold.source,
    description: hold.description,
    capture_transaction_id: hold.captureTransactionId,
    expires_at: hold.expiresAt.toISOString(),
    created_at: hold.createdAt.toISOString(),
  };
}

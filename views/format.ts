/** Text formats shared by the pages: money with digit groups, dates in UTC, reason labels. */
import { CURRENCIES, currencyOf, formatAmount } from "../domain/money.ts";

/** "12700.00" → "12,700.00": groups the whole part in threes, by string, never through a float. */
export function groupDigits(decimal: string): string {
  const [whole, fraction] = decimal.split(".");
  const sign = whole.startsWith("-") ? "-" : "";
  const digits = sign ? whole.slice(1) : whole;
  const grouped = digits.replace(/\B(?=(\d{3})+(?!\d))/g, ",");
  return `${sign}${grouped}${fraction === undefined ? "" : "." + fraction}`;
}

/** Minor units shown with their currency: 1270000n, "ZAR" → "ZAR 12,700.00". */
export function money(minor: bigint, currencyCode: string): string {
  return `${currencyCode} ${groupDigits(formatAmount(minor, currencyOf(currencyCode)))}`;
}

/**
 * Amounts written in a sentence the API's way ("the available balance is 30.00 ZAR", as refusal
 * details and messages state them) in the pages' one money format: "ZAR 30.00". Only a known
 * currency code after a decimal amount is rewritten.
 */
export function moneyInText(text: string): string {
  return text.replace(/(?<![\w.,])(-?\d+(?:\.\d+)?) ([A-Z]{3})\b/g, (whole, amount, code) => {
    if (!CURRENCY_CODES.has(code)) return whole;
    return `${code} ${groupDigits(amount)}`;
  });
}

const CURRENCY_CODES = new Set(CURRENCIES.map((currency) => currency.code));

/** Minor units without the currency, for table cells: "12,700.00". */
export function amountText(minor: bigint, currencyCode: string): string {
  return groupDigits(formatAmount(minor, currencyOf(currencyCode)));
}

/** A timestamp as "2026-11-24 14:32 UTC": the same on every machine, whatever its locale. */
export function dateTimeText(at: Date): string {
  return `${at.toISOString().slice(0, 16).replace("T", " ")} UTC`;
}

/** A timestamp's time of day as "14:32 UTC" (or "14:32:05 UTC" with seconds). */
export function timeText(at: Date, seconds = false): string {
  return `${at.toISOString().slice(11, seconds ? 19 : 16)} UTC`;
}

/** A timestamp's day as "2026-11-24" (UTC). */
export function dayText(at: Date): string {
  return at.toISOString().slice(0, 10);
}

/** Plain words for ledger reasons; an unknown code is shown as it is. */
const REASON_LABELS: Record<string, string> = {
  insufficient_funds: "Insufficient funds",
  same_account: "Same account on both sides",
  currency_mismatch: "Currencies differ",
  balance_limit: "Balance limit reached",
  amount_limit: "Fraud check: amount above the per-transfer limit",
  velocity_limit: "Fraud check: too many transfers in a short time",
  daily_outflow_limit: "Fraud check: daily outflow limit reached",
  account_closed: "Account closed",
  no_account: "No such account",
  authorization_revoked: "Authorization revoked",
  blocked_account: "Blocked account",
  refund_requested: "Refund requested",
};

/** The plain-words label of a refusal reason. */
export function reasonLabel(reason: string): string {
  return REASON_LABELS[reason] ?? reason.replaceAll("_", " ");
}

/** Plain words for ledger entry types. */
const TYPE_LABELS: Record<string, string> = {
  deposit: "Deposit",
  withdraw: "Withdrawal",
  transfer: "Transfer",
  payment_out: "Payment out",
  payment_in: "Payment in",
  payment_return: "Payment returned",
  hold_capture: "Card capture",
  card_capture: "Card purchase",
  card_refund: "Card refund",
  card_authorization: "Card authorization",
  debit_order: "Debit order",
  debit_order_reversal: "Debit order reversed",
};

/** The plain-words label of a ledger entry type. */
export function typeLabel(type: string): string {
  return TYPE_LABELS[type] ?? type.replaceAll("_", " ");
}

/** 90061 → "1 day 1 hour 1 minute 1 second": a duration in words. */
export function durationText(seconds: number): string {
  const parts: string[] = [];
  let rest = seconds;
  for (const [unit, size] of [["day", 86_400], ["hour", 3_600], ["minute", 60]] as const) {
    const count = Math.floor(rest / size);
    if (count > 0) parts.push(`${count} ${unit}${count === 1 ? "" : "s"}`);
    rest -= count * size;
  }
  if (rest > 0 || parts.length === 0) parts.push(`${rest} second${rest === 1 ? "" : "s"}`);
  return parts.join(" ");
}

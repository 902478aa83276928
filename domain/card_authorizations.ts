/**
 * Card authorizations: what a merchant asks the bank to reserve, and the rules of capturing,
 * reversing and refunding it. Pure: the planners in domain/planners/card_*.ts apply these.
 */
import { checkAccountStatus } from "./account_status.ts";
import type { CardStatus } from "./cards.ts";
import { APPROVED, refuse, type Verdict } from "./ledger.ts";
import { currencyOf, formatAmount } from "./money.ts";
import type { AccountFacts } from "./movements.ts";

/** An authorization's life: pending until closed (captured), reversed or expired; or declined. */
export const AUTHORIZATION_STATUSES = [
  "pending",
  "closed",
  "declined",
  "reversed",
  "expired",
] as const;
export type AuthorizationStatus = typeof AUTHORIZATION_STATUSES[number];

/** The decline reasons the bank itself gives; `simulate_decline` may name any reason code. */
export const DECLINE_REASONS = [
  "insufficient_funds",
  "card_inactive",
  "fraud_rejected",
  "account_frozen",
] as const;

/** Merchant category codes whose captures may exceed the authorization (tips): restaurants, taxis. */
export const TIP_MCCS: readonly string[] = ["5812", "5814", "4121"];
/** How far past the authorized amount a tip MCC's captures may go, in percent. */
export const TIP_ALLOWANCE_PERCENT = 20n;

/** The merchant an authorization is for. */
export interface Merchant {
  name: string;
  /** Four digits (ISO 18245). */
  mcc: string;
  /** ISO 3166-1 alpha-2, if given. */
  country: string | null;
}

/** An authorization as a plan writes it; amounts in minor units. */
export interface AuthorizationState {
  id: string;
  userId: string;
  cardId: string;
  accountId: string;
  holdId: string | null;
  /** Authorized: the first amount, plus increments, less reversals. */
  amount: bigint;
  capturedAmount: bigint;
  refundedAmount: bigint;
  currency: string;
  merchant: Merchant;
  status: AuthorizationStatus;
  declineReason: string | null;
  /** The declined row, or the latest capture. */
  transactionId: string | null;
  createdAt: Date;
  expiresAt: Date | null;
}

/** The most all captures together may reach: the amount, or 20 % more for tip MCCs. */
export function captureCeiling(authorization: AuthorizationState): bigint {
  if (!TIP_MCCS.includes(authorization.merchant.mcc)) return authorization.amount;
  return authorization.amount + authorization.amount * TIP_ALLOWANCE_PERCENT / 100n;
}

/** Decides a capture of `amount` more: within the ceiling (422 capture_exceeds_authorization). */
export function decideCardCapture(authorization: AuthorizationState, amount: bigint): Verdict {
  const ceiling = captureCeiling(authorization);
  if (authorization.capturedAmount + amount <= ceiling) return APPROVED;
  const currency = currencyOf(authorization.currency);
  const left = ceiling - authorization.capturedAmount;
  return refuse(
    "capture_exceeds_authorization",
    `Cannot capture ${formatAmount(amount, currency)} ${currency.code}: at most ` +
      `${formatAmount(left < 0n ? 0n : left, currency)} ${currency.code} of the authorization ` +
      "may still be captured",
  );
}

/** Decides a refund of `amount`: never more than was captured and not yet refunded. */
export function decideCardRefund(authorization: AuthorizationState, amount: bigint): Verdict {
  const left = authorization.capturedAmount - authorization.refundedAmount;
  if (amount <= left) return APPROVED;
  const currency = currencyOf(authorization.currency);
  return refuse(
    "refund_exceeds_capture",
    `Cannot refund ${formatAmount(amount, currency)} ${currency.code}: ` +
      `${formatAmount(left, currency)} ${currency.code} of the captures is left to refund`,
  );
}

/** A card that is not active declines (card_inactive). */
export function checkCardActive(status: CardStatus): Verdict {
  if (status === "active") return APPROVED;
  return refuse("card_inactive", `The card is ${status}: its authorizations decline`);
}

/**
 * Whether the card's account may pay out: the account lifecycle's one rule (a frozen account
 * declines `account_frozen`, a closed one `account_closed`).
 */
export function checkAccountOpen(account: AccountFacts): Verdict {
  return checkAccountStatus(account, "out", "authorize a card payment");
}

/** A decline the request simulated, by its reason code. */
export function simulatedDecline(reason: string): Verdict {
  return refuse(reason, `The authorization was declined (${reason}), as the request simulated`);
}

/** An authorization as JSON (API bodies and event payloads). */
export function authorizationJson(authorization: AuthorizationState) {
  const currency = currencyOf(authorization.currency);
  return {
    id: authorization.id,
    card_id: authorization.cardId,
    account_id: authorization.accountId,
    hold_id: authorization.holdId,
    amount: formatAmount(authorization.amount, currency),
    captured_amount: formatAmount(authorization.capturedAmount, currency),
    refunded_amount: formatAmount(authorization.refundedAmount, currency),
    currency: authorization.currency,
    merchant: { ...authorization.merchant },
    status: authorization.status,
    decline_reason: authorization.declineReason,
    transaction_id: authorization.transactionId,
    created_at: authorization.createdAt.toISOString(),
    expires_at: authorization.expiresAt?.toISOString() ?? null,
  };
}

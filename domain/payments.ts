/** Bank-to-bank payments: the clearing network's magic numbers, verdicts, and the Payment JSON. */
import { APPROVED, type Verdict } from "./ledger.ts";
import { currencyOf, formatAmount } from "./money.ts";
import { checkFunds } from "./movements.ts";
import type { AccountFacts } from "./movements.ts";
import { type FraudFacts, type FraudRule, screenOutflow } from "./fraud/mod.ts";

/** Which way a payment crosses the bank's edge. */
export const PAYMENT_DIRECTIONS = ["outbound", "inbound"] as const;
export type PaymentDirection = typeof PAYMENT_DIRECTIONS[number];

/** Where a payment is in the clearing network. */
export const PAYMENT_STATUSES = ["pending", "settled", "returned", "rejected"] as const;
export type PaymentStatus = typeof PAYMENT_STATUSES[number];

/** How a payment crosses the network: at once, or in the next business day's clearing run. */
export const PAYMENT_RAILS = ["instant", "eft"] as const;
export type PaymentRail = typeof PAYMENT_RAILS[number];

/** Reasons the clearing network (or a simulation) returns a payment with. */
export const RETURN_REASONS = [
  "account_closed",
  "no_account",
  "insufficient_funds",
  "authorization_revoked",
  "blocked_account",
  "refund_requested",
] as const;
export type ReturnReason = typeof RETURN_REASONS[number];

/** ISO 20022 return reason codes (ExternalReturnReason1Code) the sandbox answers with. */
export const RETURN_CODES = ["AC01", "AC04", "AC06", "AM04", "MD01", "MD06", "MS03"] as const;
export type ReturnCode = typeof RETURN_CODES[number];

// Each reason's ISO 20022 code; a reason the table lacks (one a later rule adds, or the bank's own
// refusal of a credit) is MS03, "reason not specified".
const RETURN_CODE_OF: Readonly<Record<string, ReturnCode>> = {
  no_account: "AC01",
  account_closed: "AC04",
  blocked_account: "AC06",
  insufficient_funds: "AM04",
  authorization_revoked: "MD01",
  refund_requested: "MD06",
};

/** The ISO 20022 code of a return reason: MS03 (other) for a reason without its own code. */
export function returnCodeFor(reason: string): ReturnCode {
  return RETURN_CODE_OF[reason] ?? "MS03";
}

/**
 * What the network will do when the payment falls due: settle it, return it, wait for a simulation,
 * or settle it and return it later (a refund the customer asks for after the money arrived).
 */
export type ScheduledOutcome =
  | { kind: "settle" }
  | { kind: "return"; reason: ReturnReason }
  | { kind: "manual" }
  | { kind: "settle_then_return"; reason: ReturnReason; afterBusinessDays: number };

/** Counterparty account numbers that make the network return, or wait for a simulation. */
export const MAGIC_COUNTERPARTY_NUMBERS: Readonly<Record<string, ScheduledOutcome>> = {
  "9999000001": { kind: "return", reason: "account_closed" },
  "9999000002": { kind: "return", reason: "no_account" },
  "9999000003": { kind: "return", reason: "insufficient_funds" },
  "9999000004": { kind: "return", reason: "authorization_revoked" },
  "9999000005": { kind: "return", reason: "blocked_account" },
  "9999000006": { kind: "settle_then_return", reason: "refund_requested", afterBusinessDays: 2 },
  "9999000009": { kind: "manual" },
};

/**
 * The outcome the network schedules for a counterparty account number. A return after settlement
 * takes the money back out of the bank, which only an outbound payment's sender can be owed: an
 * inbound payment from 9999000006 simply settles.
 */
export function scheduledOutcome(
  counterpartyAccountNumber: string,
  direction: PaymentDirection = "outbound",
): ScheduledOutcome {
  const outcome = MAGIC_COUNTERPARTY_NUMBERS[counterpartyAccountNumber] ?? { kind: "settle" };
  if (outcome.kind === "settle_then_return" && direction === "inbound") return { kind: "settle" };
  return outcome;
}

/** The other bank's customer. */
export interface Counterparty {
  name: string;
  bank_code: string;
  account_number: string;
}

/** The facts an outbound payment is decided on. */
export interface PaymentFacts {
  from: AccountFacts;
  amount: bigint;
  now: Date;
  fraud: FraudFacts;
  rules: readonly FraudRule[];
}

/**
 * Decides an outbound payment like a transfer: the fraud rules first (a risky attempt is named as
 * such), then the available balance.
 */
export function decidePayment(facts: PaymentFacts): Verdict {
  const fraud = screenOutflow(facts.rules, {
    kind: "payment_out",
    amount: facts.amount,
    currency: currencyOf(facts.from.currency),
    now: facts.now,
  }, facts.fraud);
  if (!fraud.approved) return fraud;
  const funds = checkFunds(facts.from, facts.amount, "pay");
  return funds.approved ? APPROVED : funds;
}

/** A payment as stored; amounts in minor units. */
export interface PaymentView {
  id: string;
  seq: bigint;
  userId: string;
  accountId: string;
  direction: PaymentDirection;
  rail: PaymentRail;
  amount: bigint;
  currency: string;
  counterparty: Counterparty;
  description: string | null;
  status: PaymentStatus;
  scheduledOutcome: ScheduledOutcome["kind"];
  scheduledReturnReason: string | null;
  returnReason: string | null;
  returnCode: ReturnCode | null;
  /** When a settled payment scheduled `settle_then_return` goes back; null otherwise. */
  returnsAt: Date | null;
  transactionId: string | null;
  returnTransactionId: string | null;
  createdAt: Date;
  settlesAt: Date;
  settledAt: Date | null;
  returnedAt: Date | null;
}

/** A payment as JSON (API bodies and event payloads). */
export function paymentJson(payment: Omit<PaymentView, "seq">) {
  return {
    id: payment.id,
    direction: payment.direction,
    rail: payment.rail,
    account_id: payment.accountId,
    amount: formatAmount(payment.amount, currencyOf(payment.currency)),
    currency: payment.currency,
    counterparty: payment.counterparty,
    description: payment.description,
    status: payment.status,
    return_reason: payment.returnReason,
    return_code: payment.returnCode,
    transaction_id: payment.transactionId,
    return_transaction_id: payment.returnTransactionId,
    created_at: payment.createdAt.toISOString(),
    settles_at: payment.settlesAt.toISOString(),
    settled_at: payment.settledAt?.toISOString() ?? null,
    returned_at: payment.returnedAt?.toISOString() ?? null,
  };
}

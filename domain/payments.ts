/** Bank-to-bank payments: the clearing network's magic numbers, verdicts, and the Payment JSON. */
import { checkAccountStatus } from "./account_status.ts";
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

/** Reasons the clearing network returns a payment with. */
export const RETURN_REASONS = [
  "account_closed",
  "no_account",
  "insufficient_funds",
  "authorization_revoked",
] as const;
export type ReturnReason = typeof RETURN_REASONS[number];

/** What the network will do when the payment falls due. */
export type ScheduledOutcome =
  | { kind: "settle" }
  | { kind: "return"; reason: ReturnReason }
  | { kind: "manual" };

/** Counterparty account numbers that make the network return, or wait for a simulation. */
export const MAGIC_COUNTERPARTY_NUMBERS: Readonly<Record<string, ScheduledOutcome>> = {
  "9999000001": { kind: "return", reason: "account_closed" },
  "9999000002": { kind: "return", reason: "no_account" },
  "9999000003": { kind: "return", reason: "insufficient_funds" },
  "9999000004": { kind: "return", reason: "authorization_revoked" },
  "9999000009": { kind: "manual" },
};

/** The outcome the network schedules for a counterparty account number. */
export function scheduledOutcome(counterpartyAccountNumber: string): ScheduledOutcome {
  return MAGIC_COUNTERPARTY_NUMBERS[counterpartyAccountNumber] ?? { kind: "settle" };
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
 * Decides an outbound payment like a transfer: the account's status (frozen or closed lets
 * nothing out), the fraud rules next (a risky attempt is named as
 * such), then the available balance.
 */
export function decidePayment(facts: PaymentFacts): Verdict {
  const status = checkAccountStatus(facts.from, "out", "pay");
  if (!status.approved) return status;
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
  amount: bigint;
  currency: string;
  counterparty: Counterparty;
  description: string | null;
  status: PaymentStatus;
  scheduledOutcome: ScheduledOutcome["kind"];
  scheduledReturnReason: string | null;
  returnReason: string | null;
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
    account_id: payment.accountId,
    amount: formatAmount(payment.amount, currencyOf(payment.currency)),
    currency: payment.currency,
    counterparty: payment.counterparty,
    description: payment.description,
    status: payment.status,
    return_reason: payment.returnReason,
    transaction_id: payment.transactionId,
    return_transaction_id: payment.returnTransactionId,
    created_at: payment.createdAt.toISOString(),
    settles_at: payment.settlesAt.toISOString(),
    settled_at: payment.settledAt?.toISOString() ?? null,
    returned_at: payment.returnedAt?.toISOString() ?? null,
  };
}

/** The ledger's vocabulary: entry types, statuses, and what a movement's verdict looks like. */

/**
 * Kinds of ledger entry; payments, holds, cards and debit orders add their own. A `hold` row is
 * only ever rejected: a refused hold is recorded, an approved one reserves money without moving
 * it; so is a `card_authorization` row (a declined authorization).
 */
export const TRANSACTION_TYPES = [
  "deposit",
  "withdraw",
  "transfer",
  "payment_out",
  "payment_in",
  "payment_return",
  "hold_capture",
  "hold",
  "card_authorization",
  "card_capture",
  "card_refund",
  "debit_order",
  "debit_order_reversal",
] as const;
export type TransactionType = typeof TRANSACTION_TYPES[number];

/** A ledger entry is approved (money moved) or rejected (recorded, nothing moved). */
export const TRANSACTION_STATUSES = ["approved", "rejected"] as const;
export type TransactionStatus = typeof TRANSACTION_STATUSES[number];

/**
 * Types that take money out of an account to somewhere else: the fraud rules count these (the
 * velocity count, the 24-hour sum). A hold counts when captured, the moment its money leaves; it
 * was screened when placed. Deposits and money coming back (payment_in, payment_return) do not.
 */
export const OUTFLOW_TYPES: readonly TransactionType[] = [
  "withdraw",
  "transfer",
  "payment_out",
  "hold_capture",
  "card_capture",
];

/** Where an entry's money goes: into the bank from outside, out of it, or between two accounts. */
export type EntryShape = "inflow" | "outflow" | "internal";

/**
 * Each type's shape: money enters the bank only by deposits, inbound payments and returns, and
 * leaves it only by withdrawals, outbound payments and captures; transfers move it inside. The
 * audit checks every entry against this, and sums the bank's money in and out by it.
 */
export const ENTRY_SHAPES: Readonly<Record<TransactionType, EntryShape>> = {
  deposit: "inflow",
  payment_in: "inflow",
  payment_return: "inflow",
  card_refund: "inflow",
  withdraw: "outflow",
  payment_out: "outflow",
  hold_capture: "outflow",
  hold: "outflow",
  card_authorization: "outflow",
  card_capture: "outflow",
  debit_order: "outflow",
  debit_order_reversal: "inflow",
  transfer: "internal",
};

/** The types of one shape. */
export function typesShaped(shape: EntryShape): TransactionType[] {
  return TRANSACTION_TYPES.filter((type) => ENTRY_SHAPES[type] === shape);
}

/** A ledger entry as the bank sees it; amounts in minor units. */
export interface LedgerEntry {
  id: string;
  type: TransactionType;
  fromAccountId: string | null;
  toAccountId: string | null;
  amount: bigint;
  currency: string;
  status: TransactionStatus;
  reason: string | null;
  description: string | null;
  createdAt: Date;
  /** Set on each of the two legs of a cross-currency transfer. */
  fx?: FxDetail;
}

/**
 * What a leg of a cross-currency transfer carries: its side, its quote, and the conversion as the
 * customer sees it (their two accounts; the bank's position accounts are the legs' other ends).
 */
export interface FxDetail {
  leg: "source" | "destination";
  quoteId: string;
  rate: string;
  sourceAmount: bigint;
  sourceCurrency: string;
  destinationAmount: bigint;
  destinationCurrency: string;
  /** The customer's source and destination accounts. */
  fromAccountId: string;
  toAccountId: string;
}

/** The bank's decision on a money movement. */
export type Verdict =
  | { approved: true }
  | {
    approved: false;
    /** The ledger reason, e.g. insufficient_funds or velocity_limit. */
    reason: string;
    /** The problem code the client sees, e.g. insufficient_funds or fraud_rejected. */
    code: string;
    /** A sentence for the client saying what was refused and why. */
    detail: string;
  };

/** The approved verdict. */
export const APPROVED: Verdict = { approved: true };

/** A refusal whose problem code is its reason. */
export function refuse(reason: string, detail: string, code = reason): Verdict {
  return { approved: false, reason, code, detail };
}

/**
 * Bank-to-bank payments. Sending, announcing, settling and returning one are commands of the
 * movement pipeline (their planners are in domain/planners/): the payment's row is locked first,
 * then its account, and its status changes together with any money it moves.
 */
import { NotFoundError } from "../domain/errors.ts";
import type { FraudRule } from "../domain/fraud/mod.ts";
import type { Counterparty, PaymentStatus, PaymentView } from "../domain/payments.ts";
import type {
  ClearingSettings,
  PaymentOutcome,
  PaymentOutResult,
  PaymentState,
} from "../domain/pipeline.ts";
import type { PaymentRail } from "../domain/payments.ts";
import { findAccountIdByNumber } from "./accounts.ts";
import type { Queryable, Sql, Tx } from "./client.ts";
import { seqWindowOrder, seqWindowWhere } from "./seq_window.ts";
import { submit } from "./pipeline.ts";

/** A payment as stored. */
export type PaymentRow = PaymentView;

/** An outbound payment's outcome: its debit (approved or refused) and the payment. */
export type PaymentResult = PaymentOutResult;

/** Hooks into a payment's transaction (an idempotency record commits with it). */
export interface PaymentOptions<R> {
  onRecorded?: (tx: Tx, result: R) => Promise<void>;
  /** As MovementOptions.commitBy: the request's deadline for sending COMMIT. */
  commitBy?: number;
  /** As MovementOptions.alone: a group of its own (a simulated fault). */
  alone?: boolean;
}

/** An outbound payment from one of the user's accounts to another bank. */
export interface SendPaymentCommand {
  userId: string;
  accountId: string;
  amount: string | number;
  counterparty: Counterparty;
  description: string | null;
  realNow: Date;
  rules: readonly FraudRule[];
  rail: PaymentRail;
  clearing: ClearingSettings;
}

/**
 * Debits the account at once (payment_out) and queues the payment for clearing: a command of the
 * movement pipeline, planned by domain/planners/payment_out.ts.
 */
export function sendPayment(
  sql: Sql,
  command: SendPaymentCommand,
  options: PaymentOptions<PaymentResult> = {},
): Promise<PaymentResult> {
  const { rules, ...rest } = command;
  return submit<"payment_out">(
    sql,
    { kind: "payment_out", ...rest },
    { rules },
    options,
  );
}

/** A simulated inbound payment into one of the user's own accounts, by account number. */
export interface ReceivePaymentCommand {
  userId: string;
  accountNumber: string;
  amount: string | number;
  counterparty: Counterparty;
  description: string | null;
  realNow: Date;
  rail: PaymentRail;
  clearing: ClearingSettings;
}

/**
 * Announces an inbound payment to one of the user's own accounts (by number; another's is a
 * 404); it credits the account (payment_in) when it settles. A command of the pipeline
 * (domain/planners/payment_inbound.ts).
 */
export async function receivePayment(
  sql: Sql,
  command: ReceivePaymentCommand,
  options: PaymentOptions<{ payment: PaymentState }> = {},
): Promise<{ payment: PaymentState }> {
  const { accountNumber, ...rest } = command;
  const accountId = await findAccountIdByNumber(sql, accountNumber);
  if (!accountId) throw new NotFoundError("Account");
  return await submit<"payment_inbound">(
    sql,
    { kind: "payment_inbound", ...rest, accountId },
    undefined,
    options,
  );
}

/** What a simulation forces on a pending payment. */
export type ForcedOutcome = PaymentOutcome;

/**
 * Settles or returns one of the user's pending payments now (on the user's clock), whatever the
 * network had scheduled, or returns a settled outbound one within its return window
 * (domain/planners/payment_outcome.ts). Another user's payment is a 404; one that may not take the
 * outcome a 409.
 */
export async function forcePaymentOutcome(
  sql: Sql,
  command: {
    userId: string;
    paymentId: string;
    outcome: ForcedOutcome;
    realNow: Date;
    returnWindowDays: number;
  },
  options: PaymentOptions<{ payment: PaymentState }> = {},
): Promise<{ payment: PaymentState }> {
  return await submit<"payment_outcome">(
    sql,
    { kind: "payment_outcome", ...command },
    undefined,
    options,
  );
}

/** Filters for listing a user's payments; `beforeSeq` is the decoded cursor. */
export interface PaymentFilter {
  userId: string;
  accountId?: string;
  status?: PaymentStatus;
  beforeSeq?: bigint;
  /** Rows after this position, read oldest first (a page's "Newer" link). */
  afterSeq?: bigint;
  limit: number;
}

/** The user's payments, newest first (oldest first after `afterSeq`). */
export async function listPayments(sql: Queryable, filter: PaymentFilter): Promise<PaymentRow[]> {
  return await sql<PaymentRow[]>`
    SELECT * FROM payments
    WHERE user_id = ${filter.userId}
      ${filter.accountId ? sql`AND account_id = ${filter.accountId}` : sql``}
      ${filter.status ? sql`AND status = ${filter.status}` : sql``}
      ${seqWindowWhere(sql, sql`seq`, filter)}
    ${seqWindowOrder(sql, sql`seq`, filter)} LIMIT ${filter.limit}`;
}

/** One of the user's payments, or undefined (another user's is the same as none). */
export async function findPayment(
  sql: Queryable,
  userId: string,
  paymentId: string,
): Promise<PaymentRow | undefined> {
  const [row] = await sql<PaymentRow[]>`
    SELECT * FROM payments WHERE id = ${paymentId} AND user_id = ${userId}`;
  return row;
}

/**
 * Bank-to-bank payments. Sending one is a money movement like a transfer (one SERIALIZABLE
 * transaction, the account locked, fraud rules, the ledger row); settling or returning one locks
 * the payment, then its account, and changes the status together with any money it moves.
 */
import { ConflictError, NotFoundError } from "../domain/errors.ts";
import type { FraudRule } from "../domain/fraud/mod.ts";
import { APPROVED } from "../domain/ledger.ts";
import { currencyOf, parseAmount } from "../domain/money.ts";
import { decideDeposit } from "../domain/movements.ts";
import type { PaymentOutResult } from "../domain/pipeline.ts";
import {
  type Counterparty,
  paymentJson,
  type PaymentStatus,
  type PaymentView,
  scheduledOutcome,
} from "../domain/payments.ts";
import type { Queryable, Sql, Tx } from "./client.ts";
import { type EventType, recordEvents } from "./events.ts";
import { lockAccounts, record } from "./movements.ts";
import { submit } from "./pipeline.ts";
import { budgetUntil, serializable } from "./serializable.ts";

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
  windowSeconds: number;
  settlementSeconds: number;
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
  const { rules, windowSeconds, ...rest } = command;
  return submit<"payment_out">(
    sql,
    { kind: "payment_out", ...rest },
    { rules, windowSeconds },
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
  settlementSeconds: number;
}

/** Announces an inbound payment; it credits the account (payment_in) when it settles. */
export async function receivePayment(
  sql: Sql,
  command: ReceivePaymentCommand,
  options: PaymentOptions<{ payment: PaymentRow }> = {},
): Promise<{ payment: PaymentRow }> {
  return await sql.begin(async (tx) => {
    const [account] = await tx<{ id: string; currency: string; now: Date }[]>`
      SELECT a.id, a.currency,
        ${command.realNow}::timestamptz + u.clock_offset_seconds * interval '1 second' AS now
      FROM accounts a JOIN users u ON u.id = a.user_id
      WHERE a.account_number = ${command.accountNumber} AND a.user_id = ${command.userId}`;
    if (!account) throw new NotFoundError("Account");
    const amount = parseAmount(command.amount, currencyOf(account.currency));
    const outcome = scheduledOutcome(command.counterparty.account_number);
    const payment = await insertPayment(tx, {
      userId: command.userId,
      accountId: account.id,
      direction: "inbound",
      amount,
      currency: account.currency,
      counterparty: command.counterparty,
      description: command.description,
      status: "pending",
      scheduledOutcome: outcome.kind,
      scheduledReturnReason: outcome.kind === "return" ? outcome.reason : null,
      transactionId: null,
      createdAt: account.now,
      settlesAt: new Date(account.now.getTime() + command.settlementSeconds * 1000),
    });
    await paymentEvent(tx, "payment.created", payment, account.now);
    const result = { payment };
    await options.onRecorded?.(tx, result);
    return result;
  });
}

/** What a simulation forces on a pending payment. */
export type ForcedOutcome = { kind: "settle" } | { kind: "return"; reason: string };

/**
 * Settles or returns one of the user's pending payments now (on the user's clock), whatever the
 * network had scheduled. Another user's payment is a 404; one no longer pending a 409.
 */
export async function forcePaymentOutcome(
  sql: Sql,
  command: { userId: string; paymentId: string; outcome: ForcedOutcome; realNow: Date },
  options: PaymentOptions<{ payment: PaymentRow }> = {},
): Promise<{ payment: PaymentRow }> {
  return await serializable(sql, async (tx) => {
    const [locked] = await tx<(PaymentRow & { now: Date })[]>`
      SELECT p.*,
        ${command.realNow}::timestamptz + u.clock_offset_seconds * interval '1 second' AS now
      FROM payments p JOIN users u ON u.id = p.user_id
      WHERE p.id = ${command.paymentId} AND p.user_id = ${command.userId}
      FOR UPDATE OF p`;
    if (!locked) throw new NotFoundError("Payment");
    if (locked.status !== "pending") {
      throw new ConflictError(
        "payment_not_pending",
        `Cannot ${command.outcome.kind} the payment: it is ${locked.status}, not pending`,
      );
    }
    const { now, ...payment } = locked;
    const result = { payment: await applyOutcome(tx, payment, command.outcome, now, command) };
    await options.onRecorded?.(tx, result);
    return result;
  }, budgetUntil(options.commitBy));
}

/**
 * Settles or returns a locked, pending payment at `at`, moving the money in the same transaction:
 * an outbound return credits the account back (payment_return), an inbound settlement credits it
 * (payment_in). The caller holds the payment's row lock; the account is locked here, after it.
 */
export async function applyOutcome(
  tx: Tx,
  payment: PaymentRow,
  outcome: ForcedOutcome,
  at: Date,
  clock: { realNow: Date },
): Promise<PaymentRow> {
  const credits = (outcome.kind === "return") === (payment.direction === "outbound");
  if (!credits) {
    return outcome.kind === "settle"
      ? await markSettled(tx, payment, null, at)
      : await markReturned(tx, payment, { reason: outcome.reason, transactionId: null, at });
  }
  const [account] = await lockAccounts(tx, [payment.accountId], clock.realNow);
  const verdict = outcome.kind === "return" ? APPROVED : decideDeposit(account, payment.amount);
  if (!verdict.approved) {
    // The bank cannot take the money in (the balance would pass its limit): it goes back.
    return await markReturned(tx, payment, { reason: verdict.reason, transactionId: null, at });
  }
  const entry = await record(tx, {
    type: outcome.kind === "return" ? "payment_return" : "payment_in",
    from: null,
    to: account,
    amount: payment.amount,
    verdict,
    description: payment.description,
    userId: payment.userId,
    now: at,
  });
  return outcome.kind === "return"
    ? await markReturned(tx, payment, { reason: outcome.reason, transactionId: entry.id, at })
    : await markSettled(tx, payment, entry.id, at);
}

async function markSettled(
  tx: Tx,
  payment: PaymentRow,
  transactionId: string | null,
  at: Date,
): Promise<PaymentRow> {
  const [row] = await tx<PaymentRow[]>`
    UPDATE payments SET status = 'settled', settled_at = ${at},
      transaction_id = coalesce(transaction_id, ${transactionId})
    WHERE id = ${payment.id} AND status = 'pending' RETURNING *`;
  if (!row) throw new Error(`Payment ${payment.id} was not pending when settled`);
  await paymentEvent(tx, "payment.settled", row, at);
  return row;
}

async function markReturned(
  tx: Tx,
  payment: PaymentRow,
  change: { reason: string; transactionId: string | null; at: Date },
): Promise<PaymentRow> {
  const [row] = await tx<PaymentRow[]>`
    UPDATE payments SET status = 'returned', return_reason = ${change.reason},
      returned_at = ${change.at}, return_transaction_id = ${change.transactionId}
    WHERE id = ${payment.id} AND status = 'pending' RETURNING *`;
  if (!row) throw new Error(`Payment ${payment.id} was not pending when returned`);
  await paymentEvent(tx, "payment.returned", row, change.at);
  return row;
}

async function paymentEvent(tx: Tx, type: EventType, payment: PaymentRow, at: Date) {
  await recordEvents(tx, [{
    userId: payment.userId,
    type,
    object: paymentJson(payment),
    createdAt: at,
  }]);
}

interface NewPayment {
  userId: string;
  accountId: string;
  direction: "outbound" | "inbound";
  amount: bigint;
  currency: string;
  counterparty: Counterparty;
  description: string | null;
  status: PaymentStatus;
  scheduledOutcome: string;
  scheduledReturnReason: string | null;
  transactionId: string | null;
  createdAt: Date;
  settlesAt: Date;
}

async function insertPayment(tx: Tx, payment: NewPayment): Promise<PaymentRow> {
  const [row] = await tx<PaymentRow[]>`
    INSERT INTO payments (user_id, account_id, direction, amount, currency, counterparty,
      description, status, scheduled_outcome, scheduled_return_reason, transaction_id,
      created_at, settles_at)
    VALUES (${payment.userId}, ${payment.accountId}, ${payment.direction}, ${payment.amount},
      ${payment.currency}, ${tx.json(payment.counterparty as never)}, ${payment.description},
      ${payment.status}, ${payment.scheduledOutcome}, ${payment.scheduledReturnReason},
      ${payment.transactionId}, ${payment.createdAt}, ${payment.settlesAt})
    RETURNING *`;
  return row;
}

/** Filters for listing a user's payments; `beforeSeq` is the decoded cursor. */
export interface PaymentFilter {
  userId: string;
  accountId?: string;
  status?: PaymentStatus;
  beforeSeq?: bigint;
  limit: number;
}

/** The user's payments, newest first. */
export async function listPayments(sql: Queryable, filter: PaymentFilter): Promise<PaymentRow[]> {
  return await sql<PaymentRow[]>`
    SELECT * FROM payments
    WHERE user_id = ${filter.userId}
      ${filter.accountId ? sql`AND account_id = ${filter.accountId}` : sql``}
      ${filter.status ? sql`AND status = ${filter.status}` : sql``}
      ${filter.beforeSeq !== undefined ? sql`AND seq < ${filter.beforeSeq}` : sql``}
    ORDER BY seq DESC LIMIT ${filter.limit}`;
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

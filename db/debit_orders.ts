/**
 * Debit orders. Announcing, collecting and disputing one are commands of the movement pipeline
 * (domain/planners/debit_order_*.ts; collection by db/clearing.ts); this module submits them and
 * reads debit orders back, scoped to their owner.
 */
import type { DebitOrderState } from "../domain/debit_orders.ts";
import { NotFoundError } from "../domain/errors.ts";
import type { DebitOrderCreateCommand, DebitOrderResult } from "../domain/pipeline.ts";
import { findAccountIdByNumber } from "./accounts.ts";
import type { Queryable, Sql } from "./client.ts";
import type { PaymentOptions } from "./payments.ts";
import { submit } from "./pipeline.ts";

/** A simulated debit order on one of the user's own accounts, by account number. */
export type CreateDebitOrderCommand = Omit<DebitOrderCreateCommand, "kind" | "accountId"> & {
  accountNumber: string;
};

/** Announces a debit order on one of the user's own accounts (another's is a 404). */
export async function createDebitOrder(
  sql: Sql,
  command: CreateDebitOrderCommand,
  options: PaymentOptions<DebitOrderResult> = {},
): Promise<DebitOrderResult> {
  const { accountNumber, ...rest } = command;
  const accountId = await findAccountIdByNumber(sql, accountNumber);
  if (!accountId) throw new NotFoundError("Account");
  return await submit<"debit_order_create">(
    sql,
    { kind: "debit_order_create", ...rest, accountId },
    undefined,
    options,
  );
}

/** Disputes a collected debit order within the window: reversed, its money credited back. */
export async function disputeDebitOrder(
  sql: Sql,
  command: { userId: string; debitOrderId: string; realNow: Date; disputeWindowDays: number },
  options: PaymentOptions<DebitOrderResult> = {},
): Promise<DebitOrderResult> {
  return await submit<"debit_order_dispute">(
    sql,
    { kind: "debit_order_dispute", ...command },
    undefined,
    options,
  );
}

const COLUMNS = (sql: Queryable) =>
  sql`id, seq, user_id, account_id, amount, currency, creditor, collect_on::text, collect_at,
    status, reason, transaction_id, reversal_transaction_id, created_at, collected_at,
    reversed_at`;

/** A debit order as stored, with its list position. */
export type DebitOrderRow = DebitOrderState & { seq: bigint };

/** The user's debit orders, newest first; `beforeSeq` is the decoded cursor. */
export async function listDebitOrders(
  sql: Queryable,
  filter: { userId: string; beforeSeq?: bigint; limit: number },
): Promise<DebitOrderRow[]> {
  return await sql<DebitOrderRow[]>`
    SELECT ${COLUMNS(sql)} FROM debit_orders
    WHERE user_id = ${filter.userId}
      ${filter.beforeSeq !== undefined ? sql`AND seq < ${filter.beforeSeq}` : sql``}
    ORDER BY seq DESC LIMIT ${filter.limit}`;
}

/** One of the user's debit orders, or undefined (another user's is the same as none). */
export async function findDebitOrder(
  sql: Queryable,
  userId: string,
  debitOrderId: string,
): Promise<DebitOrderRow | undefined> {
  const [row] = await sql<DebitOrderRow[]>`
    SELECT ${COLUMNS(sql)} FROM debit_orders WHERE id = ${debitOrderId} AND user_id = ${userId}`;
  return row;
}

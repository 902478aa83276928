/** Account statements, computed from the ledger alone (the numbers the audit checks). */
import type { TransactionType } from "../domain/ledger.ts";
import type { Counterparty } from "../domain/payments.ts";
import type { Queryable } from "./client.ts";

/** The most entries one statement lists; a longer period must be split. */
export const STATEMENT_ENTRIES_MAX = 10_000;

/** One approved movement on the account; `amount` is signed (credits positive), minor units. */
export interface StatementEntry {
  transactionId: string;
  seq: bigint;
  createdAt: Date;
  type: TransactionType;
  description: string | null;
  amount: bigint;
  /** The other account of a transfer, by number. */
  otherAccountNumber: string | null;
  /** The other bank's customer of a payment (out, in, or returned). */
  paymentCounterparty: Counterparty | null;
}

/** The ledger's view of an account over [from, to): opening balance and the entries between. */
export interface StatementData {
  opening: bigint;
  entries: StatementEntry[];
  /** True when the period holds more than STATEMENT_ENTRIES_MAX entries. */
  truncated: boolean;
}

/** Reads the account's approved entries in [from, to), oldest first, and the balance before. */
export async function readStatement(
  sql: Queryable,
  period: { accountId: string; from: Date; to: Date },
): Promise<StatementData> {
  const { accountId } = period;
  const [{ opening }] = await sql<{ opening: bigint }[]>`
    SELECT coalesce(sum(CASE WHEN to_account_id = ${accountId} THEN amount ELSE -amount END), 0)
      ::bigint AS opening
    FROM transactions
    WHERE status = 'approved' AND created_at < ${period.from}
      AND (from_account_id = ${accountId} OR to_account_id = ${accountId})`;
  // The counterparty: a transfer's other account, or the payment the row belongs to (looked up
  // among this account's own payments, by their index).
  const rows = await sql<StatementEntry[]>`
    SELECT t.id AS transaction_id, t.seq, t.created_at, t.type, t.description,
      CASE WHEN t.to_account_id = ${accountId} THEN t.amount ELSE -t.amount END AS amount,
      o.account_number AS other_account_number, p.counterparty AS payment_counterparty
    FROM transactions t
    LEFT JOIN accounts o ON t.type = 'transfer' AND o.id = CASE
      WHEN t.to_account_id = ${accountId} THEN t.from_account_id ELSE t.to_account_id END
    LEFT JOIN LATERAL (
      SELECT p.counterparty FROM payments p
      WHERE p.account_id = ${accountId}
        AND (p.transaction_id = t.id OR p.return_transaction_id = t.id)
      LIMIT 1
    ) AS p ON t.type IN ('payment_out', 'payment_in', 'payment_return')
    WHERE t.status = 'approved' AND t.created_at >= ${period.from} AND t.created_at < ${period.to}
      AND (t.from_account_id = ${accountId} OR t.to_account_id = ${accountId})
    ORDER BY t.created_at, t.seq LIMIT ${STATEMENT_ENTRIES_MAX + 1}`;
  return {
    opening,
    entries: rows.slice(0, STATEMENT_ENTRIES_MAX),
    truncated: rows.length > STATEMENT_ENTRIES_MAX,
  };
}

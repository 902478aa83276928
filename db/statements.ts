/** Account statements, computed from the ledger alone (the numbers the audit checks). */
import type { TransactionType } from "../domain/ledger.ts";
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
  const rows = await sql<StatementEntry[]>`
    SELECT id AS transaction_id, seq, created_at, type, description,
      CASE WHEN to_account_id = ${accountId} THEN amount ELSE -amount END AS amount
    FROM transactions
    WHERE status = 'approved' AND created_at >= ${period.from} AND created_at < ${period.to}
      AND (from_account_id = ${accountId} OR to_account_id = ${accountId})
    ORDER BY created_at, seq LIMIT ${STATEMENT_ENTRIES_MAX + 1}`;
  return {
    opening,
    entries: rows.slice(0, STATEMENT_ENTRIES_MAX),
    truncated: rows.length > STATEMENT_ENTRIES_MAX,
  };
}

/** Reading the ledger, scoped to what a user may see. */
import type { LedgerEntry, TransactionStatus, TransactionType } from "../domain/ledger.ts";
import type { Queryable } from "./client.ts";
import { fxDetailSql, withFxDetail } from "./fx.ts";

const ENTRY_COLUMNS = "id, seq, type, from_account_id, to_account_id, amount, currency, status, " +
  "reason, description, created_at, fx_quote_id, fx_leg";

// What an entry's query returns before its FX conversion is read into the domain's shape.
type RawRow = Omit<LedgerRow, "fx"> & { fx: unknown; fxQuoteId?: string; fxLeg?: string };

function toLedgerRow(raw: RawRow): LedgerRow {
  const { fxQuoteId: _quote, fxLeg: _leg, ...row } = withFxDetail(raw);
  return row;
}

/** A ledger entry with its position, for cursor paging. */
export type LedgerRow = LedgerEntry & { seq: bigint };

/** Filters for listing a user's ledger; `beforeSeq` is the decoded cursor. */
export interface LedgerFilter {
  accountIds: string[];
  type?: TransactionType;
  status?: TransactionStatus;
  from?: Date;
  to?: Date;
  /** Text in the description or the counterparty (a payment's party, a transfer's other account). */
  text?: string;
  /** Amount bounds in minor units, both inclusive. */
  amountMin?: bigint;
  amountMax?: bigint;
  beforeSeq?: bigint;
  limit: number;
}

/**
 * Entries touching `accountIds`, newest first. Outflows show whatever their status; inflows only
 * when approved, so a sender's refused attempt stays the sender's business.
 */
export async function listLedger(sql: Queryable, filter: LedgerFilter): Promise<LedgerRow[]> {
  if (filter.accountIds.length === 0) return [];
  // `other` is the column naming the entry's other side in each half, for the text search.
  const conditions = (t: Queryable, other: "to_account_id" | "from_account_id") =>
    t`${filter.type ? t`AND type = ${filter.type}` : t``}
      ${filter.status ? t`AND status = ${filter.status}` : t``}
      ${filter.from ? t`AND created_at >= ${filter.from}` : t``}
      ${filter.to ? t`AND created_at < ${filter.to}` : t``}
      ${filter.amountMin !== undefined ? t`AND amount >= ${filter.amountMin}` : t``}
      ${filter.amountMax !== undefined ? t`AND amount <= ${filter.amountMax}` : t``}
      ${filter.text ? textCondition(t, filter.text, filter.accountIds, other) : t``}
      ${filter.beforeSeq !== undefined ? t`AND seq < ${filter.beforeSeq}` : t``}`;
  // Two index-ordered halves merged: cheaper than one OR across both account columns. The inflow
  // half's visibility test is wrapped in IS TRUE so it stays a filter: as a bare OR the planner
  // matched its halves to indexes and read every approved row's index entry (7.6 ms on a
  // 150 000-row ledger, 0.16 ms as a filter).
  const rows = await sql<RawRow[]>`
    SELECT visible.*, ${fxDetailSql(sql, sql`visible`, sql`q`)} FROM (
      (SELECT ${sql.unsafe(ENTRY_COLUMNS)} FROM transactions
        WHERE from_account_id IN ${sql(filter.accountIds)} ${conditions(sql, "to_account_id")}
        ORDER BY seq DESC LIMIT ${filter.limit})
      UNION
      (SELECT ${sql.unsafe(ENTRY_COLUMNS)} FROM transactions
        WHERE to_account_id IN ${sql(filter.accountIds)}
          AND (status = 'approved' OR from_account_id IS NULL) IS TRUE
          ${conditions(sql, "from_account_id")}
        ORDER BY seq DESC LIMIT ${filter.limit})
    ) AS visible
    LEFT JOIN fx_quotes q ON q.id = visible.fx_quote_id
    ORDER BY visible.seq DESC LIMIT ${filter.limit}`;
  return rows.map(toLedgerRow);
}

/**
 * The text search: the description contains the text (any case), or the entry's counterparty
 * does — a payment of these accounts whose party's name contains it or whose account number is
 * it, or a transfer whose other account has that number. Both lookups run once per query (the
 * payments through these accounts' index, the account by its unique number), not per row.
 */
function textCondition(
  t: Queryable,
  text: string,
  accountIds: string[],
  other: "to_account_id" | "from_account_id",
) {
  const pattern = `%${text.replace(/[\\%_]/g, (ch) => `\\${ch}`)}%`;
  return t`AND (description ILIKE ${pattern}
    OR id IN (
      SELECT leg.id FROM payments p
      CROSS JOIN LATERAL (VALUES (p.transaction_id), (p.return_transaction_id)) AS leg (id)
      WHERE p.account_id IN ${t(accountIds)} AND leg.id IS NOT NULL
        AND (p.counterparty->>'name' ILIKE ${pattern}
          OR p.counterparty->>'account_number' = ${text}))
    OR ${t(other)} IN (SELECT id FROM accounts WHERE account_number = ${text}))`;
}

/** One entry, if the user may see it (same visibility as listLedger). */
export async function findLedgerEntry(
  sql: Queryable,
  userId: string,
  transactionId: string,
): Promise<LedgerRow | undefined> {
  const [row] = await sql<RawRow[]>`
    SELECT ${sql.unsafe(ENTRY_COLUMNS.split(", ").map((c) => `t.${c}`).join(", "))},
      ${fxDetailSql(sql, sql`t`, sql`q`)}
    FROM transactions t LEFT JOIN fx_quotes q ON q.id = t.fx_quote_id
    WHERE t.id = ${transactionId} AND (
      t.from_account_id IN (SELECT id FROM accounts WHERE user_id = ${userId})
      OR (t.to_account_id IN (SELECT id FROM accounts WHERE user_id = ${userId})
          AND (t.status = 'approved' OR t.from_account_id IS NULL)))`;
  return row && toLedgerRow(row);
}

/**
 * Balances over time, read from the ledger: what the dashboard's charts draw and what
 * GET /accounts/{id}/balance?at= answers. Only approved entries move a balance, so only they count.
 */
import type { Fragment, Queryable } from "./client.ts";

/** A balance right after a ledger entry, in minor units. */
export interface BalancePoint {
  at: Date;
  balance: bigint;
}

/** The points of one currency's series. */
export interface CurrencySeries {
  currency: string;
  points: BalancePoint[];
}

/**
 * The account's approved ledger legs, signed (credits positive), with their time and ledger
 * order: the one definition of "an account's balance in time" that the balance-at endpoint and
 * the account's chart both read, so the two cannot disagree.
 */
export function accountLegsSql(sql: Queryable, accountId: string): Fragment {
  return sql`(
    SELECT t.id, t.seq, t.created_at, -t.amount AS change FROM transactions t
    WHERE t.from_account_id = ${accountId} AND t.status = 'approved'
    UNION ALL
    SELECT t.id, t.seq, t.created_at, t.amount AS change FROM transactions t
    WHERE t.to_account_id = ${accountId} AND t.status = 'approved')`;
}

/** The account's balance at `at`, from its approved legs at or before it, and the last of them. */
export async function balanceAt(
  sql: Queryable,
  accountId: string,
  at: Date,
): Promise<{ balance: bigint; lastTransactionId: string | null }> {
  const [row] = await sql<{ balance: bigint; lastTransactionId: string | null }[]>`
    SELECT coalesce(sum(l.change), 0)::bigint AS balance,
      (array_agg(l.id ORDER BY l.created_at DESC, l.seq DESC))[1] AS last_transaction_id
    FROM ${accountLegsSql(sql, accountId)} AS l
    WHERE l.created_at <= ${at}`;
  return row;
}

/**
 * An account's balance after each of its latest `pointsMax` approved legs, oldest first: the
 * running sum of the same legs balanceAt sums, in time order, so each point is the balance at
 * its time.
 */
export async function accountBalanceHistory(
  sql: Queryable,
  accountId: string,
  pointsMax: number,
): Promise<BalancePoint[]> {
  const rows = await sql<BalancePoint[]>`
    SELECT at, balance FROM (
      SELECT l.created_at AS at, l.seq,
        (sum(l.change) OVER (ORDER BY l.created_at, l.seq))::bigint AS balance
      FROM ${accountLegsSql(sql, accountId)} AS l
      ORDER BY l.created_at DESC, l.seq DESC LIMIT ${pointsMax}
    ) AS latest ORDER BY at, seq`;
  return rows;
}

/**
 * The user's total balance per currency after each of the latest `pointsMax` approved entries of
 * that currency, oldest first. Each account opens at zero, so a leg's change is its balance after
 * less the account's previous balance after; the running sum of changes is the total.
 */
export async function totalBalanceHistory(
  sql: Queryable,
  userId: string,
  pointsMax: number,
): Promise<CurrencySeries[]> {
  const rows = await sql<{ currency: string; at: Date; balance: bigint }[]>`
    WITH legs AS (
      SELECT t.seq, t.created_at, a.currency, a.id AS account_id, t.from_balance_after AS after
      FROM transactions t JOIN accounts a ON a.id = t.from_account_id
      WHERE a.user_id = ${userId} AND t.status = 'approved'
      UNION ALL
      SELECT t.seq, t.created_at, a.currency, a.id AS account_id, t.to_balance_after AS after
      FROM transactions t JOIN accounts a ON a.id = t.to_account_id
      WHERE a.user_id = ${userId} AND t.status = 'approved'
    ), changes AS (
      SELECT seq, created_at, currency,
        after - coalesce(lag(after) OVER (PARTITION BY account_id ORDER BY seq), 0) AS change
      FROM legs
    ), per_entry AS (
      SELECT seq, created_at, currency, sum(change) AS change
      FROM changes GROUP BY seq, created_at, currency
    ), running AS (
      SELECT seq, created_at, currency,
        (sum(change) OVER (PARTITION BY currency ORDER BY seq))::bigint AS balance,
        row_number() OVER (PARTITION BY currency ORDER BY seq DESC) AS recency
      FROM per_entry
    )
    SELECT currency, created_at AS at, balance FROM running
    WHERE recency <= ${pointsMax}
    ORDER BY currency, seq`;
  const byCurrency = new Map<string, BalancePoint[]>();
  for (const row of rows) {
    const points = byCurrency.get(row.currency) ?? [];
    points.push({ at: row.at, balance: row.balance });
    byCurrency.set(row.currency, points);
  }
  return [...byCurrency].map(([currency, points]) => ({ currency, points }));
}

/**
 * Account numbers by id, for the accounts named in ledger entries the user may already see (the
 * caller passes only those ids): a statement shows where money went and came from.
 */
export async function accountNumbersByIds(
  sql: Queryable,
  ids: string[],
): Promise<Map<string, string>> {
  if (ids.length === 0) return new Map();
  const rows = await sql<{ id: string; accountNumber: string }[]>`
    SELECT id, account_number FROM accounts WHERE id IN ${sql([...new Set(ids)])}`;
  return new Map(rows.map((row) => [row.id, row.accountNumber]));
}

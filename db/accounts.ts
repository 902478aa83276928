/** Accounts: opening and owner-scoped reads. */
import { assertMayOpenAccount } from "../domain/abuse_limits.ts";
import { generateAccountNumber } from "../domain/account_number.ts";
import type { AccountView } from "../domain/representations.ts";
import type { Queryable, Tx } from "./client.ts";
import { accountJson } from "../domain/representations.ts";
import { recordEvents } from "./events.ts";
import { heldAtSql } from "./facts.ts";
import { sandboxNowSql } from "./sandbox_time.ts";

/** An account as stored; balances in minor units (`available` is balance less active holds). */
export type AccountRow = AccountView;

const ACCOUNT_NUMBER_ATTEMPTS_MAX = 8;

/**
 * Opens an account with a fresh unique account number, and its account.created event; a user
 * already at ACCOUNTS_PER_USER_MAX accounts gets a 422 account_limit instead. `onRecorded` runs
 * inside the same transaction (an idempotency record commits with the account).
 */
export async function openAccount(
  sql: { begin: <T>(fn: (tx: Tx) => Promise<T>) => Promise<T> },
  account: { userId: string; currency: string; now: Date },
  options: { onRecorded?: (tx: Tx, account: AccountRow) => Promise<void> } = {},
): Promise<AccountRow> {
  return await sql.begin(async (tx) => {
    // Openings by one user queue here until commit, so parallel requests cannot overshoot the cap.
    await tx`SELECT pg_advisory_xact_lock(hashtextextended(${
      "open_account:" + account.userId
    }, 0))`;
    const [{ held }] = await tx<{ held: number }[]>`
      SELECT count(*)::int AS held FROM accounts WHERE user_id = ${account.userId}`;
    assertMayOpenAccount(held);
    const row = await insertAccount(tx, account);
    await recordEvents(tx, [{
      userId: account.userId,
      type: "account.created",
      object: accountJson(row),
      createdAt: account.now,
    }]);
    await options.onRecorded?.(tx, row);
    return row;
  });
}

/** Inserts an account with a fresh unique account number (retried on the rare collision). */
async function insertAccount(
  sql: Tx,
  account: { userId: string; currency: string; now: Date },
): Promise<AccountRow> {
  for (let attempt = 1;; attempt++) {
    try {
      // A savepoint per attempt: a collision must not abort the surrounding transaction.
      return await sql.savepoint(async (sp) => {
        const [row] = await sp<AccountRow[]>`
          INSERT INTO accounts (user_id, account_number, currency, created_at, updated_at)
          VALUES (${account.userId}, ${generateAccountNumber()}, ${account.currency},
                  ${account.now}, ${account.now})
          RETURNING *, balance AS available`;
        return row;
      });
    } catch (error) {
      const { code, constraint_name } = error as { code?: string; constraint_name?: string };
      const collision = code === "23505" && constraint_name === "accounts_account_number_key";
      if (!collision || attempt >= ACCOUNT_NUMBER_ATTEMPTS_MAX) throw error;
    }
  }
}

/** The user's accounts, oldest first; `available` as at `realNow` on the user's clock. */
export async function listAccounts(
  sql: Queryable,
  userId: string,
  realNow: Date,
): Promise<AccountRow[]> {
  return await sql<AccountRow[]>`
    SELECT a.*, a.balance - ${heldSql(sql, realNow)} AS available
    FROM accounts a JOIN users u ON u.id = a.user_id
    WHERE a.user_id = ${userId} ORDER BY a.created_at, a.id`;
}

/** The user's account with this id, or undefined (another user's account is the same as none). */
export async function findOwnAccount(
  sql: Queryable,
  userId: string,
  accountId: string,
  realNow: Date,
): Promise<AccountRow | undefined> {
  const [row] = await sql<AccountRow[]>`
    SELECT a.*, a.balance - ${heldSql(sql, realNow)} AS available
    FROM accounts a JOIN users u ON u.id = a.user_id
    WHERE a.id = ${accountId} AND a.user_id = ${userId}`;
  return row;
}

// Minor units reserved by active holds of account `a` still unexpired on its owner `u`'s clock.
function heldSql(sql: Queryable, realNow: Date) {
  return heldAtSql(sql, sql`a.id`, sandboxNowSql(sql, sql`${realNow}::timestamptz`));
}

/** The id of the account with this number, whoever owns it (transfers go to any account). */
export async function findAccountIdByNumber(
  sql: Queryable,
  accountNumber: string,
): Promise<string | undefined> {
  const [row] = await sql<{ id: string }[]>`
    SELECT id FROM accounts WHERE account_number = ${accountNumber}`;
  return row?.id;
}

/** The ids of the accounts with these numbers (one query for a batch); unknown ones are absent. */
export async function findAccountIdsByNumbers(
  sql: Queryable,
  accountNumbers: readonly string[],
): Promise<Map<string, string>> {
  if (accountNumbers.length === 0) return new Map();
  const rows = await sql<{ id: string; accountNumber: string }[]>`
    SELECT id, account_number FROM accounts
    WHERE account_number = ANY(${[...new Set(accountNumbers)]}::text[])`;
  return new Map(rows.map((row) => [row.accountNumber, row.id]));
}

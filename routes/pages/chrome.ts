/** The page shell's data for the current request, and the ledger perspective of a user's rows. */
import type { Context } from "hono";
import { accountNumbersByIds } from "../../db/balance_history.ts";
import type { Sql } from "../../db/client.ts";
import type { LedgerEntry } from "../../domain/ledger.ts";
import type { AccountView } from "../../domain/representations.ts";
import type { Chrome } from "../../views/layout.ts";
import type { LedgerPerspective } from "../../views/ledger.ts";
import type { PageEnv } from "./page_env.ts";

/** The shell of a signed-in page. */
export function chromeOf(c: Context<PageEnv>, title: string, section: string): Chrome {
  return {
    title,
    section,
    csrfToken: c.var.csrfToken,
    user: { name: c.var.userName },
    result: c.var.pageResult,
    toolbar: c.var.toolbar,
  };
}

/**
 * How to read `entries`: signs relative to `mine` (ids of the user's accounts, or of one), and
 * every mentioned account named by its number.
 */
export async function perspectiveOf(
  sql: Sql,
  accounts: AccountView[],
  entries: LedgerEntry[],
  mine: string[] = accounts.map((account) => account.id),
): Promise<LedgerPerspective> {
  const numbers = new Map(accounts.map((account) => [account.id, account.accountNumber]));
  const others = entries.flatMap((entry) => [entry.fromAccountId, entry.toAccountId])
    .filter((id): id is string => id !== null && !numbers.has(id));
  for (const [id, number] of await accountNumbersByIds(sql, others)) numbers.set(id, number);
  return { mine: new Set(mine), numbers };
}

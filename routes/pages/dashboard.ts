/** The dashboard: totals, charts, accounts and the latest transactions. */
import { Hono } from "hono";
import { listAccounts } from "../../db/accounts.ts";
import { totalBalanceHistory } from "../../db/balance_history.ts";
import { listLedger } from "../../db/ledger.ts";
import { readUserClock } from "../../db/users.ts";
import { CURRENCIES } from "../../domain/money.ts";
import { dashboardPage } from "../../views/dashboard.ts";
import { chromeOf, perspectiveOf } from "./chrome.ts";
import type { PageEnv } from "./page_env.ts";
import { requireSession } from "./session.ts";

/** How many transactions the dashboard lists. */
export const DASHBOARD_ENTRIES_MAX = 8;

/** How many points a balance chart draws at most (the latest ones). */
export const CHART_POINTS_MAX = 200;

/** GET /app. */
export function dashboardPages() {
  return new Hono<PageEnv>().get("/", requireSession, async (c) => {
    const { deps, userId } = c.var;
    const accounts = await listAccounts(deps.sql, userId, deps.clock());
    const latest = await listLedger(deps.sql, {
      accountIds: accounts.map((account) => account.id),
      limit: DASHBOARD_ENTRIES_MAX,
    });
    const series = accounts.length
      ? await totalBalanceHistory(deps.sql, userId, CHART_POINTS_MAX)
      : [];
    const { now } = await readUserClock(deps.sql, userId, deps.clock());
    const totals = new Map<string, bigint>();
    for (const account of accounts) {
      totals.set(account.currency, (totals.get(account.currency) ?? 0n) + account.balance);
    }
    return c.html(dashboardPage({
      chrome: chromeOf(c, "Dashboard", "dashboard"),
      totals: [...totals].map(([currency, balance]) => ({ currency, balance })),
      accounts,
      latest,
      perspective: await perspectiveOf(deps.sql, accounts, latest),
      series,
      until: now,
      currencies: CURRENCIES.map((currency) => currency.code),
    }));
  });
}

/** The dashboard: totals per currency, balance charts, accounts, and the latest movements. */
import { html } from "hono/html";
import type { CurrencySeries } from "../db/balance_history.ts";
import type { AccountView } from "../domain/representations.ts";
import type { LedgerEntry } from "../domain/ledger.ts";
import { accountsTable, openAccountForm } from "./accounts.ts";
import { balanceChart } from "./chart.ts";
import { money } from "./format.ts";
import { type Chrome, type Html, layout } from "./layout.ts";
import { type LedgerPerspective, ledgerTable } from "./ledger.ts";

/** Everything the dashboard shows. */
export interface DashboardData {
  chrome: Chrome;
  totals: { currency: string; balance: bigint }[];
  accounts: AccountView[];
  latest: LedgerEntry[];
  perspective: LedgerPerspective;
  series: CurrencySeries[];
  /** Now on the user's clock: the charts' right edge. */
  until: Date;
  currencies: readonly string[];
}

/** The dashboard page. */
export function dashboardPage(data: DashboardData): Html {
  const firstName = data.chrome.user?.name.split(/\s+/)[0] ?? "";
  if (data.accounts.length === 0) {
    return layout(
      data.chrome,
      html`<h1>Welcome, ${firstName}</h1>
<section class="card" aria-labelledby="first-account">
  <h2 id="first-account">Open your first account</h2>
  <p>Accounts hold money in one currency. Open one, then deposit sandbox money into it.</p>
  ${openAccountForm(data.chrome.csrfToken, data.currencies)}
</section>`,
    );
  }
  const body = html`<h1>Welcome, ${firstName}</h1>
<section aria-labelledby="totals-heading">
  <h2 id="totals-heading">Total balance</h2>
  <ul class="totals">
    ${
    data.totals.map((total) =>
      html`<li class="totals__item"><span class="totals__label">All ${total.currency} accounts</span>
      <span class="totals__amount">${money(total.balance, total.currency)}</span></li>`
    )
  }
  </ul>
</section>
<section aria-labelledby="chart-heading" class="card">
  <h2 id="chart-heading">Balance over time</h2>
  ${
    data.series.length === 0
      ? html`<p class="empty">No money has moved yet, so there is nothing to chart.</p>`
      : data.series.map((series) =>
        balanceChart({
          id: `chart-${series.currency}`,
          title: `Total ${series.currency} balance over time`,
          currency: series.currency,
          points: series.points,
          until: data.until,
        })
      )
  }
</section>
<section aria-labelledby="accounts-heading">
  <div class="section-head">
    <h2 id="accounts-heading">Your accounts</h2>
    <a href="/app/accounts" class="button button--quiet">Open another account</a>
  </div>
  ${accountsTable(data.accounts)}
</section>
<section aria-labelledby="latest-heading">
  <div class="section-head">
    <h2 id="latest-heading">Latest transactions</h2>
    <a href="/app/transactions">All transactions</a>
  </div>
  ${
    ledgerTable(data.latest, data.perspective, {
      caption: "Latest transactions",
      emptyText: "No transactions yet.",
    })
  }
</section>`;
  return layout(data.chrome, body);
}

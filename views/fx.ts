/**
 * The foreign exchange page: the mid rates, a quote form, and — once a quote is on screen — the
 * transfer that uses it. Each form is posted, then redirected to this page (Post/Redirect/Get).
 */
import { html } from "hono/html";
import type { FxQuoteState } from "../domain/fx_quotes.ts";
import { CURRENCIES, currencyOf, formatAmount } from "../domain/money.ts";
import type { AccountView } from "../domain/representations.ts";
import { dateTimeText, money } from "./format.ts";
import { type Chrome, csrfField, type Html, idempotencyField, layout } from "./layout.ts";
import { type Notice, noticeBox } from "./outcome.ts";

/** Everything the page shows. */
export interface FxPageData {
  chrome: Chrome;
  rates: { base: string; rates: Record<string, string>; asOf: string };
  accounts: AccountView[];
  /** The quote asked for last, while it is unused. */
  quote?: FxQuoteState;
  notice?: Notice;
}

/** The foreign exchange page. */
export function fxPage(data: FxPageData): Html {
  const body = html`
    <h1>Foreign exchange</h1>
    ${noticeBox(data.notice)}
    <div class="grid-main-side">
      <section class="card" aria-labelledby="quote-heading">
      <h2 id="quote-heading">Get a quote</h2>
      <form method="post" action="/app/fx/quotes" class="form" novalidate>
        ${csrfField(data.chrome.csrfToken)}
        <div class="field">
          <label for="from_currency">Sell</label>
          ${currencySelect("from_currency", "ZAR")}
        </div>
        <div class="field">
          <label for="sell_amount">Amount to sell</label>
          <input id="sell_amount" name="sell_amount" type="text" inputmode="decimal" autocomplete="off"
            maxlength="40" required>
        </div>
        <div class="field">
          <label for="to_currency">Buy</label>
          ${currencySelect("to_currency", "USD")}
        </div>
        <button type="submit" class="button">Get quote</button>
      </form>
      ${data.quote ? quoteCard(data.quote, data) : ""}
      </section>
      <aside class="card" aria-labelledby="rates-heading">
        <h2 id="rates-heading">Mid rates per 1 ${data.rates.base}</h2>
        <table class="table">
          <tbody>${Object.entries(data.rates.rates).map(([code, rate]) =>
            html`
              <tr>
                <th scope="row">${code}</th>
                <td class="num">${rate}</td>
              </tr>
            `
          )}</tbody>
        </table>
        <p class="hint">As of ${dateTimeText(new Date(data.rates.asOf))} on your sandbox clock.</p>
      </aside>
    </div>
  `;
  return layout(data.chrome, body);
}

// The quote, and the transfer form that uses it (a fresh idempotency key per rendering).
function quoteCard(quote: FxQuoteState, data: FxPageData): Html {
  const from = data.accounts.filter((account) => account.currency === quote.fromCurrency);
  const to = data.accounts.filter((account) => account.currency === quote.toCurrency);
  const sell = formatAmount(quote.sellMinor, currencyOf(quote.fromCurrency));
  const summary = html`<p class="quote" id="fx-quote">
    ${money(quote.sellMinor, quote.fromCurrency)} buys
    <strong>${money(quote.buyMinor, quote.toCurrency)}</strong> at ${quote.rate};
    valid until ${dateTimeText(quote.expiresAt)}, once.</p>`;
  if (from.length === 0 || to.length === 0) {
    return html`<h3>Your quote</h3>${summary}
<p class="empty">You need a ${quote.fromCurrency} and a ${quote.toCurrency} account to use it.
  <a href="/app/accounts">Open an account</a>.</p>`;
  }
  return html`<h3>Your quote</h3>${summary}
<form method="post" action="/app/fx/transfers" class="form" novalidate>
  ${csrfField(data.chrome.csrfToken)}${idempotencyField()}
  <input type="hidden" name="fx_quote_id" value="${quote.id}">
  <input type="hidden" name="amount" value="${sell}">
  <div class="field">
    <label for="fx_from_account_id">From (${quote.fromCurrency})</label>
    ${accountSelect("fx_from_account_id", "from_account_id", from)}
  </div>
  <div class="field">
    <label for="fx_to_account_id">To (${quote.toCurrency})</label>
    ${accountSelect("fx_to_account_id", "to_account_id", to)}
  </div>
  <button type="submit" class="button">Convert ${
    money(quote.sellMinor, quote.fromCurrency)
  }</button>
</form>`;
}

function currencySelect(name: string, selected: string): Html {
  return html`<select id="${name}" name="${name}">${
    CURRENCIES.map((currency) =>
      html`<option value="${currency.code}" ${
        currency.code === selected ? "selected" : ""
      }>${currency.code}</option>`
    )
  }</select>`;
}

function accountSelect(id: string, name: string, accounts: AccountView[]): Html {
  return html`<select id="${id}" name="${name}">${
    accounts.map((account) =>
      html`<option value="${account.id}">${account.accountNumber} · ${
        money(account.balance, account.currency)
      }</option>`
    )
  }</select>`;
}

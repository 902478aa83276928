/** The ledger with filters, "load more" paging, and a CSV export of what the filter shows. */
import { html } from "hono/html";
import type { AccountView } from "../domain/representations.ts";
import type { LedgerEntry } from "../domain/ledger.ts";
import { typeLabel } from "./format.ts";
import { type Chrome, type Html, layout } from "./layout.ts";
import { ledgerHead, type LedgerPerspective, ledgerRow } from "./ledger.ts";

/** The filter as the form shows it (text, as typed). */
export interface LedgerFilterValues {
  account_id?: string;
  type?: string;
  status?: string;
  from?: string;
  to?: string;
  q?: string;
  amount_min?: string;
  amount_max?: string;
}

/** One page of results and where the next begins. */
export interface LedgerPage {
  entries: LedgerEntry[];
  perspective: LedgerPerspective;
  /** The cursor of the next page, or null at the end. */
  nextCursor: string | null;
  /** The filter's query string, without a cursor: "load more" and the export reuse it. */
  query: string;
}

/** Everything the transactions page shows. */
export interface TransactionsPageData {
  chrome: Chrome;
  accounts: AccountView[];
  types: readonly string[];
  statuses: readonly string[];
  values: LedgerFilterValues;
  errors: Record<string, string>;
  page: LedgerPage;
}

/** The transactions page. */
export function transactionsPage(data: TransactionsPageData): Html {
  const { values, errors } = data;
  const body = html`
    <h1>Transactions</h1>
    <form method="get" action="/app/transactions" class="form filters" role="search"
      aria-label="Filter transactions" hx-get="/app/transactions" hx-target="#ledger-results"
      hx-swap="outerHTML" hx-push-url="true">
      <div class="field">
        <label for="filter-account">Account</label>
        <select id="filter-account" name="account_id">
          <option value="">All accounts</option>
          ${data.accounts.map((account) =>
            html`
              <option value="${account.id}" ${values.account_id === account.id
                ? html`
                  selected
                `
                : ""}>${account.accountNumber} (${account.currency})</option>
            `
          )}
        </select>
      </div>
      <div class="field">
        <label for="filter-type">Type</label>
        <select id="filter-type" name="type">
          <option value="">All types</option>
          ${choiceOptions(data.types, values.type, typeLabel)}
        </select>
      </div>
      <div class="field">
        <label for="filter-status">Status</label>
        <select id="filter-status" name="status">
          <option value="">Any status</option>
          ${choiceOptions(data.statuses, values.status, (status) => capitalise(status))}
        </select>
      </div>
      ${textFilter("q", "Search", values.q, errors, "search", "Description or counterparty")}
      ${textFilter("amount_min", "Smallest amount", values.amount_min, errors, "text", "")}
      ${textFilter("amount_max", "Largest amount", values.amount_max, errors, "text", "")}
      <div class="field">
        <label for="filter-from">From date</label>
        <input id="filter-from" name="from" type="date" value="${values.from ?? ""}" ${errors.from
          ? html`
            aria-invalid="true" aria-describedby="filter-from-error"
          `
          : ""}>
      </div>
      <div class="field">
        <label for="filter-to">To date</label>
        <input id="filter-to" name="to" type="date" value="${values.to ?? ""}" ${errors.to
          ? html`
            aria-invalid="true" aria-describedby="filter-to-error"
          `
          : ""}>
      </div>
      <div class="filters__actions">
        <button type="submit" class="button">Apply filters</button>
        <a href="/app/transactions" class="button button--quiet">Clear</a>
      </div>
    </form>
    ${ledgerResults(data.page, errors)}
  `;
  return layout(data.chrome, body);
}

/** A typed filter: its label above, and its error (shown in the results) named when there is one. */
function textFilter(
  name: string,
  label: string,
  value: string | undefined,
  errors: Record<string, string>,
  type: "search" | "text",
  hint: string,
): Html {
  const id = `filter-${name.replace("_", "-")}`;
  const described = [hint ? `${id}-hint` : "", errors[name] ? `filter-${name}-error` : ""]
    .filter(Boolean).join(" ");
  return html`<div class="field">
    <label for="${id}">${label}</label>
    <input id="${id}" name="${name}" type="${type}" value="${value ?? ""}" maxlength="100"
      ${type === "text" ? html`inputmode="decimal" autocomplete="off"` : ""}
      ${errors[name] ? html`aria-invalid="true"` : ""}
      ${described ? html`aria-describedby="${described}"` : ""}>
    ${hint ? html`<p class="hint" id="${id}-hint">${hint}</p>` : ""}
  </div>`;
}

/** The results region: what the filter shows, its export link, and the first page of rows. */
export function ledgerResults(page: LedgerPage, errors: Record<string, string> = {}): Html {
  const messages = Object.entries(errors);
  return html`<section id="ledger-results" aria-labelledby="results-heading" aria-live="polite">
  <div class="section-head">
    <h2 id="results-heading">Results</h2>
    ${
    messages.length === 0
      ? html`<a class="button button--quiet" href="/app/transactions.csv${
        page.query ? `?${page.query}` : ""
      }" download>Export CSV</a>`
      : ""
  }
  </div>
  ${
    messages.map(([field, message]) =>
      html`<p class="notice notice--error" id="filter-${field}-error" role="alert">${message}</p>`
    )
  }
  ${
    page.entries.length === 0
      ? html`<p class="empty">No transactions match this filter.</p>`
      : html`
        <div class="table-scroll" role="region" aria-label="Transactions" tabindex="0">
          <table class="ledger">
            <caption class="visually-hidden">Transactions matching the filter, newest first</caption>
            ${ledgerHead}
            <tbody id="ledger-rows">${ledgerMoreRows(page)}</tbody>
          </table>
        </div>
      `
  }
</section>`;
}

/** A page of rows followed by the "load more" row when more remain. */
export function ledgerMoreRows(page: LedgerPage): Html {
  const more = page.nextCursor
    ? html`
      <tr id="load-more">
        <td colspan="4" class="load-more">
          <a class="button button--quiet"
            href="/app/transactions?${page.query}${page.query ? "&" : ""}cursor=${page.nextCursor}"
            hx-get="/app/transactions/more?${page.query}${page.query ? "&" : ""}cursor=${page
              .nextCursor}"
            hx-target="#load-more" hx-swap="outerHTML">Load more</a>
        </td>
      </tr>
    `
    : "";
  return html`${page.entries.map((entry) => ledgerRow(entry, page.perspective))}${more}`;
}

function choiceOptions(
  choices: readonly string[],
  selected: string | undefined,
  label: (value: string) => string,
): Html[] {
  return choices.map((choice) =>
    html`
      <option value="${choice}" ${selected === choice
        ? html`
          selected
        `
        : ""}>${label(choice)}</option>
    `
  );
}

function capitalise(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

/** The standing-orders and debit-orders pages: a form, a list, and a confirmation step. */
import { html } from "hono/html";
import type { DebitOrderState } from "../domain/debit_orders.ts";
import type { AccountView } from "../domain/representations.ts";
import type { ScheduleState } from "../domain/schedules.ts";
import { money, reasonLabel } from "./format.ts";
import { type Chrome, csrfField, type Html, idempotencyField, layout } from "./layout.ts";
import { type Notice, noticeBox } from "./outcome.ts";

/** What the standing-orders page shows. */
export interface SchedulesPageData {
  chrome: Chrome;
  accounts: AccountView[];
  schedules: ScheduleState[];
  notice?: Notice;
}

/** What the debit-orders page shows. */
export interface DebitOrdersPageData {
  chrome: Chrome;
  accounts: AccountView[];
  debitOrders: DebitOrderState[];
  notice?: Notice;
}

/** A confirmation step before an irreversible action. */
export interface ConfirmPageData {
  chrome: Chrome;
  title: string;
  message: string;
  action: string;
  button: string;
  back: string;
}

function accountOptions(accounts: AccountView[], value: "id" | "accountNumber"): Html {
  return html`${
    accounts.map((account) =>
      html`<option value="${account[value]}">${account.accountNumber} · ${
        money(account.balance, account.currency)
      }</option>`
    )
  }`;
}

function field(name: string, label: string, attrs: Html = html``): Html {
  return html`<div class="field"><label for="${name}">${label}</label>
    <input id="${name}" name="${name}" ${attrs}></div>`;
}

/** /app/standing_orders: create one, and list them with a cancel link. */
export function schedulesPage(data: SchedulesPageData): Html {
  const token = data.chrome.csrfToken;
  return layout(
    data.chrome,
    html`<h1>Standing orders</h1>
${noticeBox(data.notice)}
<form method="post" action="/app/standing_orders" class="card form">
  ${csrfField(token)}${idempotencyField()}
  <h2>New standing order</h2>
  <p class="hint">Each run is an EFT on its date's 06:00 clearing run, on your sandbox clock.</p>
  <div class="field"><label for="from_account_id">From account</label>
    <select id="from_account_id" name="from_account_id" required>${
      accountOptions(data.accounts, "id")
    }</select></div>
  ${field("amount", "Amount", html`inputmode="decimal" required`)}
  ${field("counterparty_name", "Pay to (name)", html`required`)}
  ${field("bank_code", "Bank code", html`required`)}
  ${field("account_number", "Account number", html`inputmode="numeric" required`)}
  <div class="field"><label for="interval">Every</label>
    <select id="interval" name="interval"><option value="monthly">month</option>
      <option value="weekly">week</option></select></div>
  ${field("start_date", "First run", html`type="date" required`)}
  ${field("count", "Number of runs (optional)", html`inputmode="numeric"`)}
  ${field("end_date", "Last date (optional)", html`type="date"`)}
  ${field("description", "Description (optional)")}
  <button type="submit" class="button">Create standing order</button>
</form>
${schedulesTable(data.schedules)}`,
  );
}

function schedulesTable(schedules: ScheduleState[]): Html {
  if (schedules.length === 0) return html`<p class="empty">No standing orders yet.</p>`;
  return html`
    <table class="stack-table">
      <caption class="visually-hidden">Your standing orders, newest first</caption>
      <thead>
        <tr>
          <th scope="col">Pay to</th>
          <th scope="col" class="numeric">Amount</th>
          <th scope="col">Every</th>
          <th scope="col">Next run</th>
          <th scope="col">Runs</th>
          <th scope="col">Status</th>
          <th scope="col">Actions</th>
        </tr>
      </thead>
      <tbody>${schedules.map((s) =>
        html`
          <tr id="schedule-${s.id}">
            <td data-label="Pay to">${s.counterparty.name}</td>
            <td class="numeric" data-label="Amount">${money(s.amount, s.currency)}</td>
            <td data-label="Every">${s.interval === "weekly" ? "week" : "month"}</td>
            <td data-label="Next run">${s.nextRunOn ?? "—"}</td>
            <td data-label="Runs">${s.runsMade}${s.count
              ? html`
                of ${s.count}
              `
              : ""}</td>
            <td data-label="Status">${s.status}</td>
            <td data-label="Actions">${s.status === "active"
              ? html`<a class="button button--quiet" href="/app/standing_orders/${s.id}/cancel">Cancel…</a>`
              : ""}</td>
          </tr>
        `
      )}</tbody>
    </table>
  `;
}

/** /app/debit_orders: simulate one, and list them with a dispute link. */
export function debitOrdersPage(data: DebitOrdersPageData): Html {
  const token = data.chrome.csrfToken;
  return layout(
    data.chrome,
    html`<h1>Debit orders</h1>
${noticeBox(data.notice)}
<form method="post" action="/app/debit_orders" class="card form">
  ${csrfField(token)}${idempotencyField()}
  <h2>Simulate a debit order</h2>
  <p class="hint">A creditor collects from your account on the date (default: the next business
    day). You may dispute a collection for 40 days.</p>
  <div class="field"><label for="account_number">Account</label>
    <select id="account_number" name="account_number" required>${
      accountOptions(data.accounts, "accountNumber")
    }</select></div>
  ${field("amount", "Amount", html`inputmode="decimal" required`)}
  ${field("creditor_name", "Creditor", html`required`)}
  ${field("reference", "Mandate reference", html`required`)}
  ${field("collect_on", "Collect on (optional)", html`type="date"`)}
  <button type="submit" class="button">Simulate debit order</button>
</form>
${debitOrdersTable(data.debitOrders)}`,
  );
}

function debitOrdersTable(orders: DebitOrderState[]): Html {
  if (orders.length === 0) return html`<p class="empty">No debit orders yet.</p>`;
  return html`
    <table class="stack-table">
      <caption class="visually-hidden">Your debit orders, newest first</caption>
      <thead>
        <tr>
          <th scope="col">Creditor</th>
          <th scope="col" class="numeric">Amount</th>
          <th scope="col">Collect on</th>
          <th scope="col">Status</th>
          <th scope="col">Actions</th>
        </tr>
      </thead>
      <tbody>${orders.map((o) =>
        html`
          <tr id="debit-order-${o.id}">
            <td data-label="Creditor">${o.creditor.name} · <span class="mono">${o.creditor
              .reference}</span></td>
            <td class="numeric" data-label="Amount">${money(o.amount, o.currency)}</td>
            <td data-label="Collect on">${o.collectOn}</td>
            <td data-label="Status">${o.status}${o.reason
              ? html`
                (${reasonLabel(o.reason)})
              `
              : ""}</td>
            <td data-label="Actions">${o.status === "collected"
              ? html`<a class="button button--quiet" href="/app/debit_orders/${o.id}/dispute">Dispute…</a>`
              : ""}</td>
          </tr>
        `
      )}</tbody>
    </table>
  `;
}

/** The confirmation step: one form that does the action, and a way back. */
export function confirmPage(data: ConfirmPageData): Html {
  return layout(
    data.chrome,
    html`<h1>${data.title}</h1>
<form method="post" action="${data.action}" class="card form">
  ${csrfField(data.chrome.csrfToken)}${idempotencyField()}
  <p>${data.message}</p>
  <button type="submit" class="button">${data.button}</button>
  <a class="button button--quiet" href="${data.back}">Go back</a>
</form>`,
  );
}

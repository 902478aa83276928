/** The transfer page: from one of your accounts to one of yours or to any account number. */
import { html } from "hono/html";
import type { AccountView } from "../domain/representations.ts";
import { money } from "./format.ts";
import {
  type Chrome,
  csrfField,
  type Html,
  IDEMPOTENCY_KEY_FIELD,
  idempotencyField,
  layout,
} from "./layout.ts";
import { type MovementOutcome, movementOutcome, type Notice } from "./outcome.ts";
import { type BulkFormValues, bulkTransferCard } from "./bulk_transfers.ts";

/** The form's values when shown again. */
export interface TransferFormValues {
  fromAccountId?: string;
  toAccountId?: string;
  toAccountNumber?: string;
  amount?: string;
  description?: string;
}

/** Everything the transfer page shows. */
export interface TransferPageData {
  chrome: Chrome;
  accounts: AccountView[];
  values?: TransferFormValues;
  outcome?: MovementOutcome;
  /** The bulk transfer card's values and notice (views/bulk_transfers.ts). */
  bulk?: { values?: BulkFormValues; notice?: Notice };
}

/** An inline check's result beside its field. */
export interface FieldHint {
  tone: "ok" | "error" | "neutral";
  message: string;
}

/** The id of the transfer form's idempotency key, which every htmx answer replaces. */
export const TRANSFER_KEY_ID = "transfer-idempotency-key";

/**
 * A fresh idempotency key swapped into the transfer form out-of-band: htmx keeps the form
 * between answers, and the next transfer is a new request, not a re-submit of the last.
 */
export function freshTransferKey(): Html {
  return html`<input type="hidden" name="${IDEMPOTENCY_KEY_FIELD}" value="${crypto.randomUUID()}" id="${TRANSFER_KEY_ID}" hx-swap-oob="true">`;
}

/** The transfer page. */
export function transferPage(data: TransferPageData): Html {
  if (data.accounts.length === 0) {
    return layout(
      data.chrome,
      html`<h1>Transfer money</h1>
<p class="empty">You need an account first. <a href="/app/accounts">Open an account</a>.</p>`,
    );
  }
  const values = data.values ?? {};
  const body = html`<h1>Transfer money</h1>
<div class="grid-main-side">
<section class="card" aria-labelledby="transfer-heading">
  <h2 id="transfer-heading">New transfer</h2>
  <form method="post" action="/app/transfers" class="form" hx-post="/app/transfers"
    hx-target="#transfer-outcome" hx-disabled-elt="#transfer-submit" novalidate>
    ${csrfField(data.chrome.csrfToken)}${idempotencyField(TRANSFER_KEY_ID)}
    <div class="field">
      <label for="from_account_id">From</label>
      ${fromSelect(data.accounts, values.fromAccountId)}
    </div>
    <fieldset class="field-group">
      <legend>To</legend>
      <div class="field">
        <label for="to_account_id">One of your accounts</label>
        ${toSelect(data.accounts, values.toAccountId)}
        <p class="hint" id="to_account_id-hint">Choose one of yours, or leave this and enter an account number.</p>
      </div>
      <div class="field">
        <label for="to_account_number">Account number</label>
        <input id="to_account_number" name="to_account_number" type="text" inputmode="numeric"
          autocomplete="off" maxlength="32" value="${values.toAccountNumber ?? ""}"
          aria-describedby="to_account_number-hint"
          hx-get="/app/transfers/check?field=to_account_number"
          hx-include="#from_account_id, #to_account_number"
          hx-trigger="input changed delay:400ms, blur" hx-target="#to_account_number-hint"
          hx-swap="outerHTML" hx-disabled-elt="unset">
        ${fieldHint("to_account_number", { tone: "neutral", message: "10 digits." })}
      </div>
    </fieldset>
    ${amountField(values.amount)}
    <div class="field">
      <label for="description">Description <span class="optional">(optional)</span></label>
      <input id="description" name="description" type="text" maxlength="500" autocomplete="off"
        value="${values.description ?? ""}">
    </div>
    <button type="submit" class="button" id="transfer-submit">Send money</button>
  </form>
  <div id="transfer-outcome" class="outcome" aria-live="polite">${
    data.outcome ? movementOutcome(data.outcome) : ""
  }</div>
</section>
${balancesPanel(data.accounts)}
</div>
${bulkTransferCard({ csrfToken: data.chrome.csrfToken, accounts: data.accounts, ...data.bulk })}`;
  return layout(data.chrome, body);
}

function toOptions(accounts: AccountView[], selected: string | undefined): Html {
  return html`<option value="">Another customer's account (number below)</option>
          ${accountOptions(accounts, selected, false)}`;
}

/**
 * Both account selects again with fresh balances, swapped out-of-band after a transfer. Whole
 * elements, not their options: a browser keeps a select's old choice over a swapped-in
 * option's `selected`.
 */
export function accountChoices(accounts: AccountView[], values: TransferFormValues): Html {
  return html`${fromSelect(accounts, values.fromAccountId, true)}${
    toSelect(accounts, values.toAccountId, true)
  }`;
}

function fromSelect(accounts: AccountView[], selected: string | undefined, outOfBand = false) {
  return html`<select id="from_account_id" name="from_account_id" required${
    outOfBand
      ? html`
        hx-swap-oob="true"
      `
      : ""
  }>${accountOptions(accounts, selected, true)}</select>`;
}

function toSelect(accounts: AccountView[], selected: string | undefined, outOfBand = false) {
  return html`
    <select id="to_account_id" name="to_account_id" aria-describedby="to_account_id-hint"
      ${outOfBand
        ? html`
          hx-swap-oob="true"
        `
        : ""}>${toOptions(accounts, selected)}</select>
  `;
}

function accountOptions(accounts: AccountView[], selected: string | undefined, first: boolean) {
  return accounts.map((account, index) => {
    const isSelected = selected ? selected === account.id : first && index === 0;
    return html`
      <option value="${account.id}" ${isSelected
        ? html`
          selected
        `
        : ""}>${account.accountNumber} · ${money(account.balance, account.currency)}</option>
    `;
  });
}

/** The side panel of balances; swapped out-of-band after a transfer. */
export function balancesPanel(accounts: AccountView[], outOfBand = false): Html {
  return html`
    <aside class="card" id="transfer-balances" aria-labelledby="balances-heading" ${outOfBand
      ? html`
        hx-swap-oob="true"
      `
      : ""}>
      <h2 id="balances-heading">Your balances</h2>
      <ul class="balance-lines">${accounts.map((account) =>
        html`<li><span class="mono">${account.accountNumber}</span>
      <strong>${money(account.balance, account.currency)}</strong></li>`
      )}</ul>
    </aside>
  `;
}

/** The amount field and its hint; swapped out-of-band, emptied, after an approved transfer. */
export function amountField(value: string | undefined, outOfBand = false): Html {
  return html`
    <div class="field" id="amount-field" ${outOfBand
      ? html`
        hx-swap-oob="true"
      `
      : ""}>
          <label for="amount">Amount</label>
          <input id="amount" name="amount" type="text" inputmode="decimal" required autocomplete="off"
            maxlength="40" value="${value ?? ""}" aria-describedby="amount-hint"
            hx-get="/app/transfers/check?field=amount" hx-include="#from_account_id, #amount"
            hx-trigger="input changed delay:400ms, blur" hx-target="#amount-hint" hx-swap="outerHTML"
            hx-disabled-elt="unset">
          ${fieldHint("amount", { tone: "neutral", message: "In the source account's currency." })}
        </div>
  `;
}

/** The hint under a field: what it expects, or what is wrong with what was typed. */
export function fieldHint(field: string, hint: FieldHint): Html {
  return html`
    <p class="hint hint--${hint.tone}" id="${field}-hint" ${hint.tone === "error"
      ? html`
        role="alert"
      `
      : ""}>${hint.message}</p>
  `;
}

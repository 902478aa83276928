/** The Payments page: the sandbox clock, sending to another bank, and the payments with outcomes. */
import { html } from "hono/html";
import type { PaymentRow } from "../db/payments.ts";
import type { Pager } from "../routes/pages/paging.ts";
import { pagerLinks } from "./paging.ts";
import type { PaymentState } from "../domain/pipeline.ts";
import type { AccountView } from "../domain/representations.ts";
import { actionButton } from "./developers.ts";
import { dateTimeText, durationText, money, reasonLabel } from "./format.ts";
import {
  type Chrome,
  csrfField,
  describedBy,
  fieldError,
  type Html,
  idempotencyField,
  layout,
  rowId,
} from "./layout.ts";
import { liveRegion } from "./live.ts";
import { type MovementOutcome, movementOutcome, type Notice, noticeBox } from "./outcome.ts";

export { CLOCK_UNITS, type ClockUnit } from "./toolbar.ts";
export { durationText } from "./format.ts";

/** The send form's values when shown again. */
export type PaymentFormValues = Partial<
  Record<
    | "from_account_id"
    | "amount"
    | "counterparty_name"
    | "bank_code"
    | "account_number"
    | "description"
    | "rail",
    string
  >
>;

/** Everything the Payments page shows. */
export interface PaymentsPageData {
  chrome: Chrome;
  accounts: AccountView[];
  payments: PaymentRow[];
  /** The "Newer" / "Older" links of the list. */
  pager: Pager;
  clock: { now: Date; offsetSeconds: bigint };
  returnReasons: readonly string[];
  magicNumbers: { accountNumber: string; outcome: string }[];
  settlementSeconds: number;
  /** The shown page's window as query parameters, for the live region's poll. */
  liveParams?: Record<string, string>;
  /** The digest of the payments shown (routes/pages/live.ts): the live region's version. */
  version: string;
  values?: PaymentFormValues;
  outcome?: MovementOutcome | { kind: "sent"; payment: PaymentState };
  notice?: Notice;
  /** The last "Check payee" answer, shown under the counterparty's fields. */
  payeeCheck?: PayeeCheckView;
}

/** A confirmation-of-payee answer as the send form shows it. */
export interface PayeeCheckView {
  result: "match" | "close_match" | "no_match" | "unavailable" | "invalid" | "limited";
  matchedName: string | null;
}

/** The Payments page. */
export function paymentsPage(data: PaymentsPageData): Html {
  return layout(
    data.chrome,
    html`<h1>Payments</h1>
<div id="payment-outcome" aria-live="polite">${noticeBox(data.notice)}${
      data.outcome ? paymentOutcome(data.outcome) : ""
    }</div>
<div class="grid-main-side">
${
      data.accounts.length === 0
        ? html`
          <section class="card">
            <h2>Send a payment</h2>
            <p class="empty">You need an account
            first. <a href="/app/accounts">Open an account</a>.</p>
          </section>
        `
        : sendCard(data)
    }
${magicNumbersCard(data)}
</div>
<section aria-labelledby="payments-heading">
  <h2 id="payments-heading">Your payments</h2>
  ${livePayments(data)}
</section>`,
  );
}

function sendCard(data: PaymentsPageData): Html {
  const values = data.values ?? {};
  const errors = data.outcome?.kind === "invalid" ? data.outcome.errors ?? {} : {};
  return html`<section class="card" aria-labelledby="send-heading">
  <h2 id="send-heading">Send to another bank</h2>
  <form method="post" action="/app/payments" class="form" novalidate>
    ${csrfField(data.chrome.csrfToken)}${idempotencyField()}
    <div class="field">
      <label for="from_account_id">From</label>
      <select id="from_account_id" name="from_account_id" required${
    describedBy("from_account_id", errors.from_account_id)
  }>${
    data.accounts.map((account) =>
      html`
        <option value="${account.id}" ${account.id === values.from_account_id
          ? html`
            selected
          `
          : ""}>${account.accountNumber} · ${money(
            account.available,
            account.currency,
          )} available</option>
      `
    )
  }</select>
      ${fieldError("from_account_id", errors.from_account_id)}
    </div>
    <fieldset class="field-group">
      <legend>To</legend>
      <div class="field">
        <label for="counterparty_name">Name</label>
        <input id="counterparty_name" name="counterparty_name" type="text" maxlength="140"
          autocomplete="off" required value="${values.counterparty_name ?? ""}"${
    describedBy("counterparty_name", errors.counterparty_name)
  }>
        ${fieldError("counterparty_name", errors.counterparty_name)}
      </div>
      <div class="field">
        <label for="bank_code">Bank code</label>
        <input id="bank_code" name="bank_code" type="text" maxlength="11" autocomplete="off"
          required value="${values.bank_code ?? ""}"${
    describedBy("bank_code", errors.bank_code, true)
  }>
        <p class="hint" id="bank_code-hint">1 to 11 letters or digits, e.g. 250655; SANDBOX for
          an account of this bank (Check payee then compares the holder's name).</p>
        ${fieldError("bank_code", errors.bank_code)}
      </div>
      <div class="field">
        <label for="account_number">Their account number</label>
        <input id="account_number" name="account_number" type="text" inputmode="numeric"
          maxlength="34" autocomplete="off" required value="${values.account_number ?? ""}"${
    describedBy("account_number", errors.account_number, true)
  }>
        <p class="hint" id="account_number-hint">4 to 34 digits. Test numbers: 9999000001 to
          9999000006 come back returned, 9999000009 waits for you (see the list).</p>
        ${fieldError("account_number", errors.account_number)}
      </div>
      <button type="button" class="button button--small button--quiet"
        hx-post="/app/payments/check_payee" hx-target="#payee-check" hx-swap="outerHTML"
        hx-disabled-elt="this">Check payee</button>
      ${payeeCheckHint(data.payeeCheck)}
    </fieldset>
    <div class="field">
      <label for="rail">Rail</label>
      <select id="rail" name="rail" aria-describedby="rail-hint">${
    (["instant", "eft"] as const).map((rail) =>
      html`<option value="${rail}" ${rail === values.rail ? "selected" : ""}>${
        rail === "eft" ? "EFT (next business day)" : "Instant"
      }</option>`
    )
  }</select>
      <p class="hint" id="rail-hint">Instant settles ${
    durationText(data.settlementSeconds)
  } after sending, any day. EFT settles in the next business day's clearing run; sent after
        the cut-off or on a weekend or public holiday, a business day later.</p>
    </div>
    <div class="field">
      <label for="amount">Amount</label>
      <input id="amount" name="amount" type="text" inputmode="decimal" maxlength="40" required
        autocomplete="off" value="${values.amount ?? ""}"${describedBy("amount", errors.amount)}>
      ${fieldError("amount", errors.amount)}
    </div>
    <div class="field">
      <label for="description">Description <span class="optional">(optional)</span></label>
      <input id="description" name="description" type="text" maxlength="500" autocomplete="off"
        value="${values.description ?? ""}"${describedBy("description", errors.description)}>
      ${fieldError("description", errors.description)}
    </div>
    <button type="submit" class="button">Send payment</button>
  </form>
</section>`;
}

function paymentOutcome(outcome: NonNullable<PaymentsPageData["outcome"]>): Html {
  if (outcome.kind !== "sent") return movementOutcome(outcome);
  const { payment } = outcome;
  return html`<div class="notice notice--success" role="status">
  <h3 class="notice__title">Payment of ${money(payment.amount, payment.currency)} sent</h3>
  <p>It is pending (${payment.rail === "eft" ? "EFT" : "instant"}), and settles at ${
    dateTimeText(payment.settlesAt)
  } on your sandbox clock.</p>
  <p class="notice__meta">Payment <span class="mono">${payment.id}</span></p>
</div>`;
}

const PAYEE_CHECK_TEXT: Record<PayeeCheckView["result"], string> = {
  match: "The name matches the account holder's.",
  close_match: "Close match: the account holder is",
  no_match: "The name does not match this account: check it before you pay.",
  unavailable: "The other bank cannot confirm the name: pay only if you are sure.",
  invalid: "Enter the name and an account number of 4 to 34 digits to check the payee.",
  limited: "Too many payee checks in the last minute: try again shortly.",
};

/** The "Check payee" answer under the counterparty's fields (swapped in place by htmx). */
export function payeeCheckHint(check: PayeeCheckView | undefined): Html {
  if (!check) return html`<p class="hint" id="payee-check" aria-live="polite"></p>`;
  const tone = check.result === "match"
    ? "ok"
    : check.result === "invalid" || check.result === "no_match"
    ? "error"
    : "neutral";
  return html`<p class="hint hint--${tone}" id="payee-check" aria-live="polite">${
    PAYEE_CHECK_TEXT[check.result]
  }${
    check.matchedName
      ? html`
        <strong>${check.matchedName}</strong>.
      `
      : ""
  }</p>`;
}

function magicNumbersCard(data: PaymentsPageData): Html {
  return html`<aside class="card" aria-labelledby="magic-heading">
  <h2 id="magic-heading">Test account numbers</h2>
  <p>Payments settle ${
    durationText(data.settlementSeconds)
  } after they are sent, on your clock. To test other outcomes, send to:</p>
  <ul class="magic-numbers">${
    data.magicNumbers.map((magic) =>
      html`<li><span class="mono">${magic.accountNumber}</span> <span>${magic.outcome}</span></li>`
    )
  }</ul>
  <p class="hint">Any other number settles. A pending payment can be settled or returned now
    with the buttons in the list.</p>
</aside>`;
}

/** The payments list, kept current without a reload: a pending payment settles in view. */
export function livePayments(data: PaymentsPageData): Html {
  // The pages' links live inside the region: a new payment can give the first page an "Older".
  return liveRegion(
    {
      id: "payments-live",
      url: "/app/payments/live",
      version: data.version,
      params: data.liveParams,
    },
    html`${paymentsTable(data)}${
      pagerLinks(data.pager, {
        path: "/app/payments",
        label: "Payments pages",
        anchor: "payments-heading",
      })
    }`,
  );
}

function paymentsTable(data: PaymentsPageData): Html {
  if (data.payments.length === 0) return html`<p class="empty">No payments yet.</p>`;
  const numbers = new Map(data.accounts.map((account) => [account.id, account.accountNumber]));
  const token = data.chrome.csrfToken;
  return html`
    <div class="table-scroll" role="region" aria-label="Your payments" tabindex="0">
      <table class="payments stack-table">
        <caption class="visually-hidden">Your payments, newest first</caption>
        <thead>
          <tr>
            <th scope="col">Created</th>
            <th scope="col">Account</th>
            <th scope="col">Counterparty</th>
            <th scope="col" class="numeric">Amount</th>
            <th scope="col">Status</th>
            <th scope="col">Actions</th>
          </tr>
        </thead>
        <tbody>${data.payments.map((payment) =>
          html`
            <tr class="payment-row payment-row--${payment.status}" id="payment-${payment.id}">
              <td class="nowrap" data-label="Created">${dateTimeText(payment.createdAt)}</td>
              <td class="mono" data-label="Account">${numbers.get(payment.accountId) ?? ""}</td>
              <td
                data-label="Counterparty">${payment.counterparty
                  .name}<span class="ledger-row__description"><span class="mono">${payment
                  .counterparty.bank_code} · ${payment.counterparty
                  .account_number}</span>${payment.description
                  ? html`
                    · ${payment.description}
                  `
                  : ""}</span>${rowId(payment.id, `/app/payments/${payment.id}`, "Payment")}</td>
              <td class="numeric nowrap" data-label="Amount">${payment.direction === "outbound"
                ? "−"
                : "+"}${money(
                  payment.amount,
                  payment.currency,
                )}</td>
              <td data-label="Status">${statusCell(payment)}</td>
              <td data-label="Actions">${payment.status === "pending"
                ? pendingActions(payment, data, token)
                : payment.status === "settled" && payment.direction === "outbound"
                ? returnForm(payment, data, token)
                : "—"}</td>
            </tr>
          `
        )}</tbody>
      </table>
    </div>
  `;
}

function statusCell(payment: PaymentRow): Html {
  const tone = payment.status === "settled"
    ? "approved"
    : payment.status === "pending"
    ? "pending"
    : "refused";
  return html`
    <span class="badge badge--${tone}">${payment.status}</span><span
      class="ledger-row__description">${payment.rail === "eft"
        ? "EFT"
        : "instant"}</span>${payment.status === "pending"
        ? html`<span class="ledger-row__description">settles ${
          dateTimeText(payment.settlesAt)
        }</span>`
        : ""}${payment.returnReason
        ? html`<span class="ledger-row__reason">${reasonLabel(payment.returnReason)}${
          payment.returnCode
            ? html`
              <span class="mono">${payment.returnCode}</span>
            `
            : ""
        }</span>`
        : ""}
  `;
}

function pendingActions(payment: PaymentRow, data: PaymentsPageData, token: string): Html {
  const base = `/app/payments/${payment.id}`;
  return html`<div class="actions">
  ${
    actionButton(`${base}/settle`, token, "Settle now", {
      label: `Settle now ${payment.id}`,
    })
  }
  ${returnForm(payment, data, token)}
</div>`;
}

// A pending payment, or a settled outbound one within its return window, can be returned.
function returnForm(payment: PaymentRow, data: PaymentsPageData, token: string): Html {
  const base = `/app/payments/${payment.id}`;
  return html`
    <form method="post" action="${base}/return" class="inline-form return-form"
      data-confirm="Return this payment? The money comes back and it cannot be settled.">
        ${csrfField(token)}${idempotencyField()}
        <label class="visually-hidden" for="reason-${payment.id}">Return reason</label>
        <select id="reason-${payment.id}" name="reason" class="select--small">${data.returnReasons
          .map((reason) =>
            html`<option value="${reason}">${reasonLabel(reason)}</option>`
          )}</select>
        <button type="submit" class="button button--small button--danger"
          aria-label="Return now ${payment.id}">Return now</button>
      </form>
  `;
}

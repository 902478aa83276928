/** The accounts list, the open-account form, and one account's page with its ledger. */
import { html } from "hono/html";
import { liveRegion } from "./live.ts";
import type { BalancePoint } from "../db/balance_history.ts";
import type { HoldRow } from "../db/holds.ts";
import type { Pager } from "../routes/pages/paging.ts";
import { pagerLinks } from "./paging.ts";
import type { AccountView } from "../domain/representations.ts";
import type { LedgerEntry } from "../domain/ledger.ts";
import { balanceChart } from "./chart.ts";
import { actionButton } from "./developers.ts";
import { amountText, dateTimeText, money } from "./format.ts";
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
import { type LedgerPerspective, ledgerTable } from "./ledger.ts";
import { type MovementOutcome, movementOutcome, type Notice, noticeBox } from "./outcome.ts";

/** The user's accounts as a table linking to each account's page. */
export function accountsTable(accounts: AccountView[]): Html {
  return html`
    <div class="table-scroll" role="region" aria-label="Your accounts" tabindex="0">
      <table class="accounts">
        <caption class="visually-hidden">Your accounts</caption>
        <thead>
          <tr>
            <th scope="col">Account number</th>
            <th scope="col">Currency</th>
            <th scope="col" class="numeric">Balance</th>
          </tr>
        </thead>
        <tbody>${accounts.map((account) =>
          html`
            <tr>
              <td><a href="/app/accounts/${account.id}" class="mono">${account
                .accountNumber}</a></td>
              <td>${account.currency}</td>
              <td class="numeric nowrap">${amountText(account.balance, account.currency)}</td>
            </tr>
          `
        )}</tbody>
      </table>
    </div>
  `;
}

/** The form that opens an account in a chosen currency. */
export function openAccountForm(csrfToken: string, currencies: readonly string[]): Html {
  return html`<form method="post" action="/app/accounts" class="form form--inline">
  ${csrfField(csrfToken)}${idempotencyField()}
  <div class="field">
    <label for="currency">Currency</label>
    <select id="currency" name="currency">
      ${currencies.map((code) => html`<option value="${code}">${code}</option>`)}
    </select>
  </div>
  <button type="submit" class="button">Open account</button>
</form>`;
}

/** The accounts page. */
export function accountsPage(
  data: { chrome: Chrome; accounts: AccountView[]; currencies: readonly string[] },
): Html {
  return layout(
    data.chrome,
    html`<h1>Accounts</h1>
<section aria-labelledby="open-heading" class="card">
  <h2 id="open-heading">Open an account</h2>
  <p>Each account holds one currency and gets its own 10-digit account number.</p>
  ${openAccountForm(data.chrome.csrfToken, data.currencies)}
</section>
<section aria-labelledby="list-heading">
  <h2 id="list-heading">Your accounts</h2>
  ${
      data.accounts.length === 0
        ? html`<p class="empty">You have no accounts yet.</p>`
        : accountsTable(data.accounts)
    }
</section>`,
  );
}

/** Values and messages of a deposit or withdrawal form shown again. */
export interface CashFormState {
  amount?: string;
  description?: string;
  outcome?: MovementOutcome;
}

/** Everything one account's page shows. */
export interface AccountPageData {
  chrome: Chrome;
  account: AccountView;
  entries: LedgerEntry[];
  perspective: LedgerPerspective;
  history: BalancePoint[];
  until: Date;
  deposit?: CashFormState;
  withdraw?: CashFormState;
  holds: HoldRow[];
  /** The "Newer" / "Older" links of the holds. */
  holdsPager?: Pager;
  /** The holds page's window as query parameters, for the live region's poll. */
  holdsParams?: Record<string, string>;
  /** The digest of the holds shown (routes/pages/live.ts): their live region's version. */
  holdsVersion: string;
  /** What happened to the last hold action, and the place form's values shown again. */
  holdNotice?: Notice;
  holdValues?: { amount?: string; description?: string };
  /** Why the amount was not accepted, shown beside it. */
  holdError?: string;
  /** The statement form's default period (days in `timeZone`). */
  statementPeriod: { from: string; to: string; timeZone: string };
  /** A refused statement period's field (from, to, time_zone) and what is wrong with it. */
  statementError?: { field: string; message: string };
  /** What the last freeze, unfreeze or close met (a 409), shown on the status card. */
  statusNotice?: Notice;
  /** Choices of how long a new hold lasts, in seconds. */
  holdDurations: readonly { seconds: number; label: string }[];
}

/** One account's page. */
export function accountPage(data: AccountPageData): Html {
  const { account } = data;
  return layout(
    data.chrome,
    html`<p class="breadcrumb"><a href="/app/accounts">Accounts</a></p>
<h1>Account <span class="mono">${account.accountNumber}</span></h1>
${accountSummary(account)}
<div class="grid-2">
  ${cashForm("deposit", account, data.chrome.csrfToken, data.deposit)}
  ${cashForm("withdraw", account, data.chrome.csrfToken, data.withdraw)}
</div>
${holdsSection(data)}
${accountHistory(data)}
${statementCard(data)}
${statusCard(data)}
${accountLedger(data)}`,
  );
}

/** The balance chart's section; swapped out-of-band after a deposit or withdrawal. */
export function accountHistory(
  data: Pick<AccountPageData, "account" | "history" | "until">,
  outOfBand = false,
): Html {
  return html`
    <section aria-labelledby="history-heading" class="card" id="account-history" ${outOfBand
      ? html`
        hx-swap-oob="true"
      `
      : ""}>
      <h2 id="history-heading">Balance over time</h2>
      ${balanceChart({
        id: "account-chart",
        title: `Balance of account ${data.account.accountNumber}`,
        currency: data.account.currency,
        points: data.history,
        until: data.until,
      })}
    </section>
  `;
}

/** The balance panel; swapped out-of-band after a deposit or withdrawal. */
export function accountSummary(account: AccountView, outOfBand = false): Html {
  return html`
    <dl class="summary" id="account-summary" ${outOfBand
      ? html`
        hx-swap-oob="true"
      `
      : ""}>
      <div>
        <dt>Balance</dt>
        <dd class="summary__amount">${money(account.balance, account.currency)}</dd>
      </div>
      <div>
        <dt>Available</dt>
        <dd class="summary__amount" id="available-amount">${money(
          account.available,
          account.currency,
        )}</dd>
      </div>
      <div>
        <dt>Currency</dt>
        <dd>${account.currency}</dd>
      </div>
      <div>
        <dt>Status</dt>
        <dd
          id="account-status"><span class="badge badge--${STATUS_BADGES[account.status]}">${account
            .status}</span>${account.statusReason
            ? html`<span class="ledger-row__description">${account.statusReason}</span>`
            : ""}</dd>
      </div>
    </dl>
  `;
}

/** The account's ledger section; swapped out-of-band after a deposit or withdrawal. */
export function accountLedger(
  data: Pick<AccountPageData, "account" | "entries" | "perspective">,
  outOfBand = false,
): Html {
  return html`
    <section aria-labelledby="ledger-heading" id="account-ledger" ${outOfBand
      ? html`
        hx-swap-oob="true"
      `
      : ""}>
      <div class="section-head">
        <h2 id="ledger-heading">Ledger</h2>
        <a href="/app/transactions?account_id=${data.account.id}">Filter and export</a>
      </div>
      ${ledgerTable(data.entries, data.perspective, {
        caption: `Ledger of account ${data.account.accountNumber}`,
        emptyText: "No transactions on this account yet.",
      })}
    </section>
  `;
}

/**
 * A deposit or withdrawal card; htmx posts its form and swaps the whole card for the answer, so
 * a field error sits by its field and an approved movement leaves the form empty.
 */
export function cashForm(
  kind: "deposit" | "withdraw",
  account: AccountView,
  csrfToken: string,
  state: CashFormState = {},
): Html {
  const title = kind === "deposit" ? "Deposit" : "Withdraw";
  const invalid = state.outcome?.kind === "invalid" ? state.outcome.message : undefined;
  return html`
    <section class="card" aria-labelledby="${kind}-heading" id="${kind}-card">
      <h2 id="${kind}-heading">${title}</h2>
      <form method="post" action="/app/accounts/${account.id}/${kind}" class="form"
        hx-post="/app/accounts/${account.id}/${kind}" hx-target="#${kind}-card"
        hx-swap="outerHTML"
        hx-disabled-elt="#${kind}-submit" novalidate>
        ${csrfField(csrfToken)}${idempotencyField()}
        <div class="field">
          <label for="${kind}-amount">Amount (${account.currency})</label>
          <input id="${kind}-amount" name="amount" type="text" inputmode="decimal" required
            autocomplete="off" maxlength="40" value="${state.amount ?? ""}"${describedBy(
              `${kind}-amount`,
              invalid,
            )}>
          ${fieldError(`${kind}-amount`, invalid)}
        </div>
        <div class="field">
          <label for="${kind}-description">Description <span class="optional">(optional)</span></label>
          <input id="${kind}-description" name="description" type="text" maxlength="500"
            autocomplete="off" value="${state.description ?? ""}">
        </div>
        <button type="submit" class="button" id="${kind}-submit">${title}</button>
      </form>
      <div id="${kind}-outcome" class="outcome" aria-live="polite">${state.outcome &&
          state.outcome.kind !== "invalid"
        ? movementOutcome(state.outcome)
        : ""}</div>
    </section>
  `;
}

/** The account's holds: place one, and capture or void the active ones. */
export function holdsSection(data: AccountPageData): Html {
  const { account } = data;
  const token = data.chrome.csrfToken;
  const values = data.holdValues ?? {};
  return html`<section class="card" aria-labelledby="holds-heading" id="account-holds">
  <h2 id="holds-heading">Card holds</h2>
  <p class="hint">A hold reserves money: the available balance drops, the balance does not, until
    the hold is captured (the money leaves), voided or expires.</p>
  <div id="hold-notice" aria-live="polite">${noticeBox(data.holdNotice)}</div>
  <form method="post" action="/app/accounts/${account.id}/holds" class="form holds-form" novalidate>
    ${csrfField(token)}${idempotencyField()}
    <div class="field">
      <label for="hold-amount">Hold amount (${account.currency})</label>
      <input id="hold-amount" name="amount" type="text" inputmode="decimal" maxlength="40"
        required autocomplete="off" value="${values.amount ?? ""}"${
    describedBy("hold-amount", data.holdError)
  }>
      ${fieldError("hold-amount", data.holdError)}
    </div>
    <div class="field">
      <label for="hold-description">Merchant <span class="optional">(optional)</span></label>
      <input id="hold-description" name="description" type="text" maxlength="500"
        autocomplete="off" value="${values.description ?? ""}">
    </div>
    <div class="field">
      <label for="hold-expires">Expires after</label>
      <select id="hold-expires" name="expires_in_seconds">${
    data.holdDurations.map((duration, index) =>
      html`
        <option value="${duration.seconds}" ${index === data.holdDurations.length - 2
          ? html`
            selected
          `
          : ""}>${duration.label}</option>
      `
    )
  }</select>
    </div>
    <button type="submit" class="button">Place hold</button>
  </form>
  ${
    liveHolds(account.id, {
      rows: data.holds,
      pager: data.holdsPager,
      params: data.holdsParams,
      version: data.holdsVersion,
    }, token)
  }
</section>`;
}

/** The account's holds, kept current without a reload: one captured, voided or expired shows. */
export function liveHolds(
  accountId: string,
  holds: { rows: HoldRow[]; pager?: Pager; params?: Record<string, string>; version: string },
  token: string,
): Html {
  // The pages' links live inside the region: a new hold can give the first page an "Older".
  return liveRegion(
    {
      id: "holds-live",
      url: `/app/accounts/${accountId}/holds/live`,
      version: holds.version,
      params: holds.params,
    },
    html`${
      holds.rows.length === 0
        ? html`<p class="empty">No holds on this account.</p>`
        : holdsTable(holds.rows, token)
    }${
      holds.pager
        ? pagerLinks(holds.pager, {
          path: `/app/accounts/${accountId}`,
          label: "Holds pages",
          prefix: "holds_",
          anchor: "account-holds",
        })
        : ""
    }`,
  );
}

function holdsTable(holds: HoldRow[], token: string): Html {
  return html`
    <div class="table-scroll" role="region" aria-label="Holds" tabindex="0">
      <table class="holds stack-table">
        <caption class="visually-hidden">Holds on this account, newest first</caption>
        <thead>
          <tr>
            <th scope="col">Placed</th>
            <th scope="col">Merchant</th>
            <th scope="col" class="numeric">Held</th>
            <th scope="col">Status</th>
            <th scope="col">Actions</th>
          </tr>
        </thead>
        <tbody>${holds.map((hold) =>
          html`
            <tr class="hold-row hold-row--${hold.status}">
              <td class="nowrap" data-label="Placed">${dateTimeText(hold.createdAt)}</td>
              <td data-label="Merchant">${hold.description ?? "—"}${rowId(
                hold.id,
                `/app/holds/${hold.id}`,
                "Hold",
              )}</td>
              <td class="numeric nowrap" data-label="Held">${money(
                hold.amount,
                hold.currency,
              )}${hold.status === "captured"
                ? html`<span class="ledger-row__description">captured ${
                  money(hold.capturedAmount, hold.currency)
                }</span>`
                : ""}</td>
              <td data-label="Status"><span class="badge badge--${hold.status === "active"
                ? "pending"
                : hold.status === "captured"
                ? "approved"
                : "muted"}">${hold.status}</span>${hold.status === "active"
                ? html`<span class="ledger-row__description">expires ${
                  dateTimeText(hold.expiresAt)
                }</span>`
                : ""}</td>
              <td data-label="Actions">${hold.status !== "active"
                ? "—"
                : hold.source === "card"
                ? html`<a href="/app/cards">On the Cards page</a>`
                : holdActions(hold, token)}</td>
            </tr>
          `
        )}</tbody>
      </table>
    </div>
  `;
}

function holdActions(hold: HoldRow, token: string): Html {
  return html`<div class="actions">
  <form method="post" action="/app/holds/${hold.id}/capture" class="inline-form capture-form">
    ${csrfField(token)}${idempotencyField()}
    <label class="visually-hidden" for="capture-${hold.id}">Amount to capture</label>
    <input id="capture-${hold.id}" name="amount" type="text" inputmode="decimal" maxlength="40"
      class="input--small" autocomplete="off" placeholder="All">
    <button type="submit" class="button button--small button--quiet">Capture</button>
  </form>
  ${
    actionButton(`/app/holds/${hold.id}/void`, token, "Void", {
      danger: true,
      confirm: "Void this hold? The money is released and the hold cannot be captured.",
    })
  }
</div>`;
}

const STATUS_BADGES = { active: "approved", frozen: "pending", closed: "muted" } as const;

/**
 * Freeze, unfreeze and close. Each is a form of its own with its own Idempotency-Key; closing is
 * final, so its form asks for a ticked confirmation, which the server checks too.
 */
export function statusCard(data: AccountPageData): Html {
  const { account } = data;
  const token = data.chrome.csrfToken;
  const path = `/app/accounts/${account.id}`;
  if (account.status === "closed") {
    return html`<section class="card" aria-labelledby="status-heading" id="account-status-card">
  <h2 id="status-heading">Account status</h2>
  <p>This account is closed: nothing moves in or out, and it stays closed.</p>
</section>`;
  }
  return html`<section class="card" aria-labelledby="status-heading" id="account-status-card">
  <h2 id="status-heading">Account status</h2>
  <p class="hint">A frozen account takes money in but lets none out. Closing needs a zero balance,
    no active holds and no pending outbound payments, and cannot be undone.</p>
  <div id="status-notice" aria-live="polite">${noticeBox(data.statusNotice)}</div>
  ${
    account.status === "frozen"
      ? actionButton(`${path}/unfreeze`, token, "Unfreeze")
      : html`<form method="post" action="${path}/freeze" class="form form--inline">
    ${csrfField(token)}${idempotencyField()}
    <div class="field">
      <label for="freeze-reason">Reason <span class="optional">(optional)</span></label>
      <input id="freeze-reason" name="reason" type="text" maxlength="500" autocomplete="off">
    </div>
    <button type="submit" class="button button--quiet">Freeze</button>
  </form>`
  }
  <form method="post" action="${path}/close" class="form form--inline">
    ${csrfField(token)}${idempotencyField()}
    <div class="field">
      <input id="close-confirm" name="confirm" type="checkbox" value="yes" required>
      <label for="close-confirm">I understand closing is final</label>
    </div>
    <button type="submit" class="button button--danger">Close account</button>
  </form>
</section>`;
}

/** The statement download: a period of days in a time zone, as CSV. */
export function statementCard(data: AccountPageData): Html {
  const { account, statementPeriod } = data;
  const error = (field: string) =>
    data.statementError?.field === field ? data.statementError.message : undefined;
  return html`<section class="card" aria-labelledby="statement-heading">
  <h2 id="statement-heading">Statement</h2>
  <p class="hint">Every approved entry of the period with its counterparty and the balance after
    it, computed from the ledger. Days run midnight to midnight in the time zone, on your sandbox
    clock; both ends are included.</p>
  <form method="get" action="/app/accounts/${account.id}/statement.csv" class="form period-form">
    <div class="field">
      <label for="statement-from">From</label>
      <input id="statement-from" name="from" type="date" value="${statementPeriod.from}"${
    describedBy("statement-from", error("from"))
  }>
      ${fieldError("statement-from", error("from"))}
    </div>
    <div class="field">
      <label for="statement-to">To</label>
      <input id="statement-to" name="to" type="date" value="${statementPeriod.to}"${
    describedBy("statement-to", error("to"))
  }>
      ${fieldError("statement-to", error("to"))}
    </div>
    <div class="field">
      <label for="statement-time-zone">Time zone</label>
      <input id="statement-time-zone" name="time_zone" type="text" maxlength="64"
        autocomplete="off" value="${statementPeriod.timeZone}"${
    describedBy("statement-time-zone", error("time_zone"))
  }>
      ${fieldError("statement-time-zone", error("time_zone"))}
    </div>
    <button type="submit" class="button">Download CSV</button>
  </form>
</section>`;
}

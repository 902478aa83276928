/** The Cards page: issue a card, freeze or cancel it, simulate purchases and act on them. */
import { html } from "hono/html";
import type { AuthorizationState } from "../domain/card_authorizations.ts";
import type { CardView } from "../domain/cards.ts";
import type { AccountView } from "../domain/representations.ts";
import { dateTimeText, money, reasonLabel } from "./format.ts";
import { type Chrome, csrfField, type Html, idempotencyField, layout } from "./layout.ts";
import { type Notice, noticeBox } from "./outcome.ts";
import { pagerLinks } from "./paging.ts";
import type { Pager } from "../routes/pages/paging.ts";

/** What the Cards page shows. */
export interface CardsPageData {
  chrome: Chrome;
  accounts: AccountView[];
  /** The cards the purchase form offers: the newest, whichever page of cards is shown. */
  purchaseCards: CardView[];
  /** The page of cards shown, and its "Newer" / "Older" links. */
  cards: CardView[];
  cardsPager: Pager;
  authorizations: AuthorizationState[];
  authorizationsPager: Pager;
  notice?: Notice;
}

/** Merchant categories the purchase form offers (any 4-digit code may be typed instead). */
export const PURCHASE_MCCS = [
  { mcc: "5411", label: "5411 Grocery store" },
  { mcc: "5812", label: "5812 Restaurant (tips allowed)" },
  { mcc: "5814", label: "5814 Fast food (tips allowed)" },
  { mcc: "4121", label: "4121 Taxi (tips allowed)" },
  { mcc: "5541", label: "5541 Fuel station" },
  { mcc: "5999", label: "5999 Other retail" },
];

/** The Cards page. */
export function cardsPage(data: CardsPageData): Html {
  const token = data.chrome.csrfToken;
  return layout(
    data.chrome,
    html`<h1>Cards</h1>
<div id="cards-notice" aria-live="polite">${noticeBox(data.notice)}</div>
<div class="grid-main-side">
${issueCard(data.accounts, token)}
${purchaseCard(data.purchaseCards, token)}
</div>
<section aria-labelledby="cards-heading">
  <h2 id="cards-heading">Your cards</h2>
  ${
      data.cards.length === 0
        ? html`<p class="empty">No cards yet.</p>`
        : cardsTable(data.cards, token)
    }
  ${
      pagerLinks(data.cardsPager, {
        path: "/app/cards",
        label: "Cards pages",
        prefix: "cards_",
        anchor: "cards-heading",
      })
    }
</section>
<section aria-labelledby="authorizations-heading">
  <h2 id="authorizations-heading">Authorizations</h2>
  ${
      data.authorizations.length === 0
        ? html`<p class="empty">No purchases yet.</p>`
        : authorizationsTable(data.authorizations, token)
    }
  ${
      pagerLinks(data.authorizationsPager, {
        path: "/app/cards",
        label: "Authorizations pages",
        prefix: "authorizations_",
        anchor: "authorizations-heading",
      })
    }
</section>`,
  );
}

function issueCard(accounts: AccountView[], token: string): Html {
  if (accounts.length === 0) {
    return html`
      <section class="card">
        <h2>Issue a card</h2>
        <p class="empty">You need an account first. <a href="/app/accounts">Open an account</a>.</p>
      </section>
    `;
  }
  return html`<section class="card" aria-labelledby="issue-heading">
  <h2 id="issue-heading">Issue a card</h2>
  <p class="hint">Only the last four digits are ever shown: the sandbox keeps no card number.</p>
  <form method="post" action="/app/cards" class="form" novalidate>
    ${csrfField(token)}${idempotencyField()}
    <div class="field">
      <label for="card-account">Account</label>
      <select id="card-account" name="account_id" required>${
    accounts.map((account) =>
      html`<option value="${account.id}">${account.accountNumber} · ${
        money(account.available, account.currency)
      }</option>`
    )
  }</select>
    </div>
    <div class="field">
      <label for="card-name">Name on card <span class="optional">(optional)</span></label>
      <input id="card-name" name="name_on_card" type="text" maxlength="100" autocomplete="off">
    </div>
    <button type="submit" class="button">Issue card</button>
  </form>
</section>`;
}

function purchaseCard(cards: CardView[], token: string): Html {
  const usable = cards.filter((card) => card.status !== "cancelled");
  if (usable.length === 0) {
    return html`
      <section class="card">
        <h2>Simulate a purchase</h2>
        <p class="empty">Issue a card first.</p>
      </section>
    `;
  }
  return html`<section class="card" aria-labelledby="purchase-heading">
  <h2 id="purchase-heading">Simulate a purchase</h2>
  <p class="hint">A merchant authorizes the amount: it is held until captured, reversed or it
    expires. A frozen card declines.</p>
  <form method="post" action="/app/cards/purchases" class="form" novalidate>
    ${csrfField(token)}${idempotencyField()}
    <div class="field">
      <label for="purchase-card">Card</label>
      <select id="purchase-card" name="card_id" required>${
    usable.map((card) =>
      html`<option value="${card.id}">•••• ${card.last4} (${card.status})</option>`
    )
  }</select>
    </div>
    <div class="field">
      <label for="purchase-merchant">Merchant</label>
      <input id="purchase-merchant" name="merchant_name" type="text" maxlength="100" required
        autocomplete="off" value="Corner Cafe">
    </div>
    <div class="field">
      <label for="purchase-mcc">Merchant category (MCC)</label>
      <select id="purchase-mcc" name="mcc">${
    PURCHASE_MCCS.map((item) => html`<option value="${item.mcc}">${item.label}</option>`)
  }</select>
    </div>
    <div class="field">
      <label for="purchase-amount">Amount</label>
      <input id="purchase-amount" name="amount" type="text" inputmode="decimal" maxlength="40"
        required autocomplete="off">
    </div>
    <button type="submit" class="button">Authorize purchase</button>
  </form>
</section>`;
}

function cardsTable(cards: CardView[], token: string): Html {
  return html`
    <div class="table-scroll" role="region" aria-label="Cards" tabindex="0">
      <table class="stack-table">
        <caption class="visually-hidden">Your cards, newest first</caption>
        <thead>
          <tr>
            <th scope="col">Card</th>
            <th scope="col">Expires</th>
            <th scope="col">Name</th>
            <th scope="col">Status</th>
            <th scope="col">Actions</th>
          </tr>
        </thead>
        <tbody>${cards.map((card) =>
          html`
            <tr>
              <td data-label="Card">•••• ${card.last4}</td>
              <td data-label="Expires">${String(card.expMonth).padStart(2, "0")}/${card
                .expYear}</td>
              <td data-label="Name">${card.nameOnCard ?? "—"}</td>
              <td data-label="Status"><span class="badge badge--${card.status === "active"
                ? "approved"
                : "muted"}">${card.status}</span></td>
              <td data-label="Actions">${card.status === "cancelled"
                ? "—"
                : cardActions(card, token)}</td>
            </tr>
          `
        )}</tbody>
      </table>
    </div>
  `;
}

// Freezing and cancelling ask for a ticked confirmation (no script needed): the server checks it.
function cardActions(card: CardView, token: string): Html {
  const toggle = card.status === "frozen" ? "unfreeze" : "freeze";
  return html`<div class="actions">${
    [toggle, "cancel"].map((action) =>
      html`<form method="post" action="/app/cards/${card.id}/${action}" class="inline-form">
    ${csrfField(token)}${idempotencyField()}
    <label class="inline-check"><input type="checkbox" name="confirm" value="yes" required>
      Confirm ${action}</label>
    <button type="submit" class="button button--small ${
        action === "cancel" ? "button--danger" : "button--quiet"
      }" aria-label="${action} card ending ${card.last4}">${
        action.charAt(0).toUpperCase() + action.slice(1)
      }</button>
  </form>`
    )
  }</div>`;
}

function authorizationsTable(rows: AuthorizationState[], token: string): Html {
  return html`
    <div class="table-scroll" role="region" aria-label="Authorizations" tabindex="0">
      <table class="stack-table">
        <caption class="visually-hidden">Card authorizations, newest first</caption>
        <thead>
          <tr>
            <th scope="col">When</th>
            <th scope="col">Merchant</th>
            <th scope="col" class="numeric">Authorized</th>
            <th scope="col" class="numeric">Captured</th>
            <th scope="col">Status</th>
            <th scope="col">Actions</th>
          </tr>
        </thead>
        <tbody>${rows.map((row) =>
          html`
            <tr>
              <td class="nowrap" data-label="When">${dateTimeText(row.createdAt)}</td>
              <td data-label="Merchant">${row.merchant.name} <span class="hint">MCC ${row.merchant
                .mcc}</span></td>
              <td class="numeric nowrap" data-label="Authorized">${money(
                row.amount,
                row.currency,
              )}</td>
              <td class="numeric nowrap" data-label="Captured">${money(
                row.capturedAmount,
                row.currency,
              )}</td>
              <td data-label="Status"><span class="badge badge--${row.status === "pending"
                ? "pending"
                : row.status === "closed"
                ? "approved"
                : "muted"}">${row.status}</span>${row.declineReason
                ? html`<span class="ledger-row__description">${
                  reasonLabel(row.declineReason)
                }</span>`
                : ""}</td>
              <td data-label="Actions">${row.status === "pending"
                ? authorizationActions(row, token)
                : "—"}</td>
            </tr>
          `
        )}</tbody>
      </table>
    </div>
  `;
}

function authorizationActions(row: AuthorizationState, token: string): Html {
  return html`<div class="actions">
  <form method="post" action="/app/card_authorizations/${row.id}/capture" class="inline-form">
    ${csrfField(token)}${idempotencyField()}
    <label class="visually-hidden" for="capture-${row.id}">Amount to capture</label>
    <input id="capture-${row.id}" name="amount" type="text" inputmode="decimal" maxlength="40"
      class="input--small" autocomplete="off" placeholder="All">
    <label class="inline-check"><input type="checkbox" name="final" value="yes"> Final</label>
    <button type="submit" class="button button--small button--quiet">Capture</button>
  </form>
  <form method="post" action="/app/card_authorizations/${row.id}/reverse" class="inline-form">
    ${csrfField(token)}${idempotencyField()}
    <button type="submit" class="button button--small button--danger">Reverse</button>
  </form>
</div>`;
}

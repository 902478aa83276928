/** Ledger entries as table rows, seen from the customer's side: money in, out, or between own. */
import { html } from "hono/html";
import type { LedgerEntry } from "../domain/ledger.ts";
import { dateTimeText, money, reasonLabel, typeLabel } from "./format.ts";
import { type Html, rowId } from "./layout.ts";

/** Whose side the rows are read from, and the account numbers to name the other side by. */
export interface LedgerPerspective {
  /** Accounts whose money the signs are relative to (all the user's, or one account). */
  mine: ReadonlySet<string>;
  /** Account numbers by account id, for every account the rows mention. */
  numbers: ReadonlyMap<string, string>;
}

/** Which way an entry moved money for the perspective's accounts. */
export type Direction = "in" | "out" | "between";

/** The direction of `entry` for the accounts in `mine`. */
export function directionOf(entry: LedgerEntry, mine: ReadonlySet<string>): Direction {
  const fromMine = entry.fromAccountId !== null && mine.has(entry.fromAccountId);
  const toMine = entry.toAccountId !== null && mine.has(entry.toAccountId);
  if (fromMine && toMine) return "between";
  return fromMine ? "out" : "in";
}

/** One line of words for the entry: what happened and with which account. */
export function entrySummary(entry: LedgerEntry, view: LedgerPerspective): string {
  const number = (id: string | null) => (id ? view.numbers.get(id) ?? "an account" : "");
  const label = typeLabel(entry.type);
  if (entry.type === "deposit") return `${label} into ${number(entry.toAccountId)}`;
  if (entry.type === "withdraw") return `${label} from ${number(entry.fromAccountId)}`;
  if (entry.fromAccountId && entry.toAccountId) {
    return `${label} from ${number(entry.fromAccountId)} to ${number(entry.toAccountId)}`;
  }
  return entry.fromAccountId
    ? `${label} from ${number(entry.fromAccountId)}`
    : `${label} into ${number(entry.toAccountId)}`;
}

/** The header row matching ledgerRow's cells. */
export const ledgerHead: Html = html`
  <thead>
    <tr>
      <th scope="col">Date</th>
      <th scope="col">Details</th>
      <th scope="col">Status</th>
      <th scope="col" class="numeric">Amount</th>
    </tr>
  </thead>
`;

/** One entry as a table row. */
export function ledgerRow(entry: LedgerEntry, view: LedgerPerspective): Html {
  const direction = directionOf(entry, view.mine);
  const rejected = entry.status === "rejected";
  const sign = rejected || direction === "between" ? "" : direction === "in" ? "+" : "−";
  const directionWords = direction === "between"
    ? "between your accounts"
    : direction === "in"
    ? "money in"
    : "money out";
  return html`
    <tr class="ledger-row ledger-row--${rejected ? "rejected" : direction}">
      <td class="nowrap"><time datetime="${entry.createdAt.toISOString()}">${dateTimeText(
        entry.createdAt,
      )}</time></td>
      <td>
        <span class="ledger-row__summary">${entrySummary(entry, view)}</span>
        ${entry.description
          ? html`<span class="ledger-row__description">${entry.description}</span>`
          : ""}
        ${rowId(entry.id, `/app/transactions/${entry.id}`, "Transaction")}
      </td>
      <td>${rejected
        ? html`
          <span class="badge badge--refused">Refused</span> <span
            class="ledger-row__reason">${reasonLabel(entry.reason ?? "")}</span>
        `
        : html`<span class="badge badge--approved">Approved</span>`}</td>
      <td
        class="numeric nowrap"><span class="visually-hidden">${directionWords}: </span>${sign}${money(
          entry.amount,
          entry.currency,
        )}</td>
    </tr>
  `;
}

/** A whole ledger table, or a sentence when there are no entries. */
export function ledgerTable(
  entries: LedgerEntry[],
  view: LedgerPerspective,
  options: { caption: string; emptyText: string },
): Html {
  if (entries.length === 0) return html`<p class="empty">${options.emptyText}</p>`;
  return html`
    <div class="table-scroll" role="region" aria-label="${options.caption}" tabindex="0">
      <table class="ledger">
      <caption class="visually-hidden">${options.caption}</caption>
      ${ledgerHead}
      <tbody>${entries.map((entry) => ledgerRow(entry, view))}</tbody>
      </table>
    </div>
  `;
}

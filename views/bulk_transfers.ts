/** The bulk transfer card on the transfers page: CSV lines in, one batch (POST /transactions/batch). */
import { html } from "hono/html";
import type { AccountView } from "../domain/representations.ts";
import { money } from "./format.ts";
import { csrfField, type Html, idempotencyField } from "./layout.ts";
import { type Notice, noticeBox } from "./outcome.ts";

/** What the bulk form shows again after a refused submission. */
export interface BulkFormValues {
  fromAccountId?: string;
  lines?: string;
  atomic?: boolean;
}

/** The bulk transfer form, with the notice of the last batch (after its redirect) or its error. */
export function bulkTransferCard(
  data: { csrfToken: string; accounts: AccountView[]; values?: BulkFormValues; notice?: Notice },
): Html {
  const values = data.values ?? {};
  return html`<section class="card" aria-labelledby="bulk-heading" id="bulk-transfer">
  <h2 id="bulk-heading">Bulk transfer</h2>
  <form method="post" action="/app/transfers/bulk" class="form" hx-post="/app/transfers/bulk"
    hx-target="#bulk-outcome" hx-disabled-elt="#bulk-submit" novalidate>
    ${csrfField(data.csrfToken)}${idempotencyField()}
    <div class="field">
      <label for="bulk_from_account_id">From</label>
      <select id="bulk_from_account_id" name="from_account_id" required>${
    data.accounts.map((account, index) =>
      html`<option value="${account.id}" ${
        (values.fromAccountId ? values.fromAccountId === account.id : index === 0) ? "selected" : ""
      }>${account.accountNumber} · ${money(account.balance, account.currency)}</option>`
    )
  }</select>
    </div>
    <div class="field">
      <label for="bulk_lines">Transfers, one a line</label>
      <textarea id="bulk_lines" name="lines" rows="6" required aria-describedby="bulk_lines-hint"
        placeholder="4001234569,100.00,Rent">${values.lines ?? ""}</textarea>
      <p class="hint" id="bulk_lines-hint">Each line: <code>to_account_number,amount,description</code>;
        up to 1000 lines; the description is optional.</p>
    </div>
    <div class="field">
      <label><input type="checkbox" name="atomic" value="true" ${
    values.atomic === false ? "" : "checked"
  }> All or nothing: if any line is refused, none is sent</label>
    </div>
    <button type="submit" class="button" id="bulk-submit">Send all</button>
  </form>
  <div id="bulk-outcome" class="outcome" aria-live="polite">${noticeBox(data.notice)}</div>
</section>`;
}

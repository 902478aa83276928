/** The outcome of a money movement, swapped in place by htmx (or shown in the page without it). */
import { html } from "hono/html";
import type { LedgerEntry } from "../domain/ledger.ts";
import { money, moneyInText, reasonLabel, typeLabel } from "./format.ts";
import type { Html } from "./layout.ts";

/** An account's balance after the movement. */
export interface BalanceLine {
  accountNumber: string;
  currency: string;
  balance: bigint;
}

/** A refusal as the API's 422 problem states it, plus the fraud rule's own description. */
export interface Refusal {
  code: string;
  reason: string;
  detail: string;
  transactionId: string;
  /** The fraud rule's description when a rule refused it. */
  ruleDescription?: string;
}

/** What happened to a submitted movement. */
export type MovementOutcome =
  | { kind: "approved"; entry: LedgerEntry; balances: BalanceLine[] }
  | { kind: "refused"; refusal: Refusal }
  | {
    kind: "invalid";
    message: string;
    /** The message of each field at fault, by its input's id, shown beside it. */
    errors?: Record<string, string>;
  };

/** The outcome panel's content. */
export function movementOutcome(outcome: MovementOutcome): Html {
  if (outcome.kind === "invalid") {
    return html`<div class="notice notice--error" role="alert">
  <h3 class="notice__title">Check the form</h3>
  <p>${outcome.message}</p>
</div>`;
  }
  if (outcome.kind === "refused") return refusalNotice(outcome.refusal);
  const { entry, balances } = outcome;
  return html`<div class="notice notice--success" role="status">
  <h3 class="notice__title">${typeLabel(entry.type)} of ${
    money(entry.amount, entry.currency)
  } approved</h3>
  <p>New balance${balances.length === 1 ? "" : "s"}:</p>
  <ul class="balance-lines">${
    balances.map((line) =>
      html`<li><span class="mono">${line.accountNumber}</span> <strong>${
        money(line.balance, line.currency)
      }</strong></li>`
    )
  }</ul>
  <p class="notice__meta">Ledger entry <span class="mono">${entry.id}</span></p>
</div>`;
}

function refusalNotice(refusal: Refusal): Html {
  const fraud = refusal.code === "fraud_rejected";
  return html`<div class="notice notice--refused" role="alert">
  <h3 class="notice__title">Refused: ${reasonLabel(refusal.reason)}</h3>
  <p>${moneyInText(refusal.detail)}.</p>
  ${
    fraud && refusal.ruleDescription
      ? html`<p>Why: ${refusal.ruleDescription} (rule <code>${refusal.reason}</code>)</p>`
      : ""
  }
  <p class="notice__meta">No money moved. The attempt is recorded in your ledger as
    <span class="mono">${refusal.transactionId}</span> (code <code>${refusal.code}</code>).</p>
</div>`;
}

/** A short message after a page action: what happened, or why nothing did. */
export interface Notice {
  tone: "success" | "error" | "info";
  title: string;
  message?: string;
}

/** A notice's box; errors are announced at once, the rest politely. */
export function noticeBox(notice: Notice | undefined): Html {
  if (!notice) return html``;
  return html`<div class="notice notice--${notice.tone}" role="${
    notice.tone === "error" ? "alert" : "status"
  }">
  <h3 class="notice__title">${moneyInText(notice.title)}</h3>
  ${notice.message ? html`<p>${moneyInText(notice.message)}</p>` : ""}
</div>`;
}

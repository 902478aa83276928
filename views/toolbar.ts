/**
 * The simulation toolbar on every signed-in page: the sandbox clock (advance by a preset, by an
 * amount, or to a date; the shared clock's id to copy, and joining another), and an incoming
 * payment from another bank. Each form posts and comes back to the page it was on (`back`).
 */
import { html } from "hono/html";
import { dateTimeText, durationText } from "./format.ts";
import { copyableId, type Html, pageForm } from "./layout.ts";

/** Units the clock advances by, in seconds each. */
export const CLOCK_UNITS = { seconds: 1, minutes: 60, hours: 3_600, days: 86_400 } as const;
export type ClockUnit = keyof typeof CLOCK_UNITS;

/** One-click advances, in seconds. */
export const CLOCK_PRESETS = [
  { seconds: 3_600, label: "+1 hour" },
  { seconds: 86_400, label: "+1 day" },
  { seconds: 7 * 86_400, label: "+7 days" },
] as const;

/** What the toolbar shows. */
export interface ToolbarData {
  clock: { id: string; now: Date; offsetSeconds: bigint; members: number };
  /** The user's accounts an incoming payment can go to. */
  accounts: { accountNumber: string; currency: string }[];
  /** The page the toolbar's forms come back to. */
  back: string;
}

/** The toolbar: a collapsed panel per simulation, the clock's reading always in view. */
export function simulationToolbar(data: ToolbarData, token: string): Html {
  const offset = Number(data.clock.offsetSeconds);
  return html`
    <aside class="toolbar" aria-label="Simulations">
      <div class="toolbar__inner">
        <details class="toolbar__panel" id="sandbox-clock">
        <summary><span id="clock-heading">Sandbox clock</span>:
          <span class="clock__now" id="clock-now">${dateTimeText(data.clock.now)}</span>
          <span class="hint">${offset === 0
            ? "Running at real time."
            : `${durationText(offset)} ahead of real time.`}</span></summary>
        <p class="hint">Advancing it settles, returns and expires whatever falls due.</p>
        ${advanceForms(data, token)}
        ${sharedClock(data, token)}
      </details>
        <details class="toolbar__panel">
        <summary>Simulate an incoming payment</summary>
        ${inboundForm(data, token)}
      </details>
      </div>
    </aside>
  `;
}

function advanceForms(data: ToolbarData, token: string): Html {
  return html`${
    pageForm(
      { action: "/app/clock/advance", csrfToken: token, className: "form clock__presets" },
      html`<input type="hidden" name="back" value="${data.back}">
      ${
        CLOCK_PRESETS.map((preset) =>
          html`
            <button type="submit" class="button button--small" name="preset"
              value="${preset.seconds}">${preset.label}</button>
          `
        )
      }`,
    )
  }
  ${
    pageForm(
      { action: "/app/clock/advance", csrfToken: token, className: "form clock__form" },
      html`
        <input type="hidden" name="back" value="${data.back}">
        <div class="field">
          <label for="advance-amount">Advance by</label>
          <input id="advance-amount" name="amount" type="number" min="1" step="1" required
            inputmode="numeric" value="1">
        </div>
        <div class="field">
          <label for="advance-unit">Unit</label>
          <select id="advance-unit" name="unit">${Object.keys(CLOCK_UNITS).map((unit) =>
            html`
              <option value="${unit}" ${unit === "hours"
                ? html`
                  selected
                `
                : ""}>${unit}</option>
            `
          )}</select>
        </div>
        <button type="submit" class="button">Advance clock</button>
      `,
    )
  }
  ${
    pageForm(
      { action: "/app/clock/advance", csrfToken: token, className: "form clock__form" },
      html`
        <input type="hidden" name="back" value="${data.back}">
        <div class="field">
          <label for="advance-to">Advance to (UTC)</label>
          <input id="advance-to" name="to" type="datetime-local" step="60" required>
        </div>
        <button type="submit" class="button">Advance to date</button>
      `,
    )
  }`;
}

function sharedClock(data: ToolbarData, token: string): Html {
  const members = data.clock.members;
  return html`<div class="shared-clock">
    <p>Clock id ${copyableId(data.clock.id, "clock id")} · ${members} user${
    members === 1 ? "" : "s"
  } on it. Another user joins it to share one business time.</p>
    ${
    pageForm(
      { action: "/app/clock/join", csrfToken: token, className: "form form--inline" },
      html`
        <input type="hidden" name="back" value="${data.back}">
        <div class="field">
          <label for="join-clock-id">Join clock (id)</label>
          <input id="join-clock-id" name="clock_id" class="mono" autocomplete="off"
            spellcheck="false" required>
        </div>
        <button type="submit" class="button button--quiet">Join clock</button>
      `,
    )
  }
  </div>`;
}

function inboundForm(data: ToolbarData, token: string): Html {
  if (data.accounts.length === 0) {
    return html`<p class="empty">Open an account first: money comes in to one of yours.</p>`;
  }
  return pageForm(
    { action: "/app/simulate/inbound-payment", csrfToken: token, className: "form" },
    html`
      <input type="hidden" name="back" value="${data.back}">
      <div class="field">
        <label for="inbound-account">Into account</label>
        <select id="inbound-account" name="account_number">${data.accounts.map((account) =>
          html`<option value="${account.accountNumber}">${account.accountNumber} (${account.currency})</option>`
        )}</select>
      </div>
      <div class="field">
        <label for="inbound-amount">Incoming sum</label>
        <input id="inbound-amount" name="amount" inputmode="decimal" autocomplete="off" required
          placeholder="1,000.00">
      </div>
      <div class="field">
        <label for="inbound-sender">Sender</label>
        <input id="inbound-sender" name="counterparty_name" autocomplete="off"
          placeholder="Simulated sender">
      </div>
      <button type="submit" class="button">Simulate incoming payment</button>
    `,
  );
}

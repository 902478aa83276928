/** The page shell: head, skip link, header with navigation and sign-out, and the main region. */
import { html } from "hono/html";
import { DEVELOPER_LINKS, NAV_ITEMS } from "./nav.ts";
import { type Notice, noticeBox } from "./outcome.ts";
import { simulationToolbar, type ToolbarData } from "./toolbar.ts";

/** Rendered HTML (hono/html's result type). */
export type Html = ReturnType<typeof html>;

/** What every page's shell needs; plain data, filled in by the page routes. */
export interface Chrome {
  /** The page's own title; the bank's name is appended. */
  title: string;
  csrfToken: string;
  /** The signed-in customer, or undefined on the sign-in and register pages. */
  user?: { name: string };
  /** The NAV_ITEMS section this page belongs to. */
  section?: string;
  /** What the form post that redirected here did (Post/Redirect/Get; routes/pages/prg.ts). */
  result?: { notice: Notice; secret?: { label: string; value?: string } };
  /** The simulation toolbar's data (signed-in pages). */
  toolbar?: ToolbarData;
}

// htmx settings: no injected <style> (the CSP allows only our stylesheet), no eval, requests only
// to this origin, no page snapshots in localStorage (they would hold balances), and 4xx answers
// swapped in like any other because the bank explains its refusals in them. "style" is not among
// the attributes htmx settles: writing a style attribute is an inline style the CSP blocks.
const HTMX_CONFIG = JSON.stringify({
  includeIndicatorStyles: false,
  allowEval: false,
  allowScriptTags: false,
  selfRequestsOnly: true,
  historyCacheSize: 0,
  refreshOnHistoryMiss: true,
  attributesToSettle: ["class", "width", "height"],
  responseHandling: [
    { code: "204", swap: false },
    { code: "[2345]..", swap: true },
  ],
});

/** A whole page around `body`. */
export function layout(chrome: Chrome, body: Html): Html {
  return html`
    <!doctype html>
    <html lang="en">
      <head>
        <meta charset="utf-8">
        <meta name="viewport" content="width=device-width, initial-scale=1">
        <meta name="htmx-config" content="${HTMX_CONFIG}">
        <meta name="color-scheme" content="light">
        <title>${chrome.title} · Bank Sandbox</title>
        <link rel="icon" href="data:,">
        <link rel="stylesheet" href="/static/app.css">
        <script src="/static/htmx.min.js" defer></script>
        <script src="/static/forms.js" defer></script>
      </head>
      <body>
        <a class="skip-link" href="#main">Skip to main content</a>
        <header class="site-header">
          <p class="test-banner"><strong>Sandbox — test mode.</strong> Simulated money only.</p>
          <div class="site-header__inner">
        <a class="brand" href="/app">Bank Sandbox</a>
        ${chrome.user ? signedInHeader(chrome) : ""}
      </div>
        </header>
        ${chrome.toolbar ? simulationToolbar(chrome.toolbar, chrome.csrfToken) : ""}
        <main id="main" tabindex="-1" class="page">
    ${chrome.result ? pageResult(chrome.result) : ""}
    ${body}
        </main>
        <footer class="site-footer">
          <p>A simulated bank for testing integrations. No real money moves.</p>
        </footer>
      </body>
    </html>
  `;
}

function signedInHeader(chrome: Chrome): Html {
  return html`
    <nav class="main-nav" aria-label="Main">
      <ul>
            ${NAV_ITEMS.map((item) =>
              html`<li><a href="${item.href}"${
                item.section === chrome.section
                  ? html`
                    aria-current="page"
                  `
                  : ""
              }>${item.label}</a></li>`
            )}
            ${DEVELOPER_LINKS.map((item) =>
              html`<li><a href="${item.href}">${item.label}</a></li>`
            )}
          </ul>
    </nav>
    <div class="session">
          <span class="session__name">${chrome.user!.name}</span>
          ${signOutForm(chrome.csrfToken)}
        </div>
  `;
}

function signOutForm(csrfToken: string): Html {
  return html`<form method="post" action="/app/sign-out" class="inline-form">
        ${csrfField(csrfToken)}
        <button type="submit" class="button button--quiet">Sign out</button>
      </form>`;
}

/** The result of the post that redirected here: focused on load (static/forms.js). */
function pageResult(result: NonNullable<Chrome["result"]>): Html {
  const secret = result.secret;
  return html`<div id="page-result" class="page-result" tabindex="-1" data-focus-on-load>
  ${noticeBox(result.notice)}
  ${
    secret?.value
      ? html`<div class="notice notice--info secret-box">
    <label for="shown-secret">${secret.label}</label>
    <input id="shown-secret" class="mono secret-field" type="text" readonly
      autocomplete="off" spellcheck="false" value="${secret.value}"
      aria-describedby="shown-secret-hint">
    ${copyButton(secret.value, "the secret shown above")}
    <p class="hint" id="shown-secret-hint">Copy it now: it is shown only this once.</p>
  </div>`
      : secret
      ? html`<p class="hint">${secret.label}: shown once, when it was made, and not again.</p>`
      : ""
  }
</div>`;
}

/** A button copying `value` to the clipboard (static/forms.js); `what` names it for readers. */
export function copyButton(value: string, what: string): Html {
  return html`
    <button type="button" class="button button--small button--quiet copy-button"
      data-copy="${value}" aria-label="Copy ${what}">Copy</button>
  `;
}

/** A list row's id: a short link to the object's detail page, and a button copying the id. */
export function rowId(id: string, href: string, what: string): Html {
  return html`
    <span
      class="row-id"><a class="mono" href="${href}" aria-label="${what} ${id}: details">${id.slice(
        0,
        8,
      )}…</a>${copyButton(id, `${what} id ${id}`)}</span>
  `;
}

/** An id in monospace with its copy button. */
export function copyableId(id: string, what = "id"): Html {
  return html`<span class="copyable"><code class="mono id-text">${id}</code>${
    copyButton(id, `${what} ${id}`)
  }</span>`;
}

/**
 * The one way to render a page form that changes something: a plain POST (Post/Redirect/Get on
 * the server, routes/pages/prg.ts) with its CSRF token and a fresh idempotency key, guarded while
 * in flight by static/forms.js; `confirm` asks first (destructive actions).
 */
export function pageForm(
  options: { action: string; csrfToken: string; className?: string; confirm?: string },
  body: Html,
): Html {
  return html`<form method="post" action="${options.action}" class="${
    options.className ?? "form"
  }" novalidate${
    options.confirm
      ? html`
        data-confirm="${options.confirm}"
      `
      : ""
  }>
  ${csrfField(options.csrfToken)}${idempotencyField()}
  ${body}
</form>`;
}

/** The form field that carries a page form's idempotency key. */
export const IDEMPOTENCY_KEY_FIELD = "idempotency_key";

/**
 * The hidden key every money-moving form carries: new each time the form is rendered, so a
 * re-submit of one rendered form (a double click, a reload that posts again) replays the first
 * answer instead of moving money twice. `id` lets an htmx answer swap in a fresh one.
 */
export function idempotencyField(id?: string): Html {
  return html`
    <input type="hidden" name="${IDEMPOTENCY_KEY_FIELD}" value="${crypto.randomUUID()}" ${id
      ? html`
        id="${id}"
      `
      : ""}>
  `;
}

/** The hidden CSRF field every state-changing form carries. */
export function csrfField(csrfToken: string): Html {
  return html`<input type="hidden" name="_csrf" value="${csrfToken}">`;
}

/** A field's error text, tied to its input by id (the input names it in aria-describedby). */
export function fieldError(id: string, message: string | undefined): Html {
  return message
    ? html`<p class="field-error" id="${id}-error" role="alert">${message}</p>`
    : html``;
}

/** The attributes marking an input invalid and pointing at its error and hint. */
export function describedBy(id: string, error: string | undefined, hint = false): Html {
  const ids = [hint ? `${id}-hint` : "", error ? `${id}-error` : ""].filter(Boolean).join(" ");
  return html`${
    error
      ? html`
        aria-invalid="true"
      `
      : ""
  }${
    ids
      ? html`
        aria-describedby="${ids}"
      `
      : ""
  }`;
}

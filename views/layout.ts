/** The page shell: head, skip link, header with navigation and sign-out, and the main region. */
import { html } from "hono/html";
import { NAV_ITEMS } from "./nav.ts";

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
      </head>
      <body>
        <a class="skip-link" href="#main">Skip to main content</a>
        <header class="site-header">
          <div class="site-header__inner">
        <a class="brand" href="/app">Bank Sandbox</a>
        ${chrome.user ? signedInHeader(chrome) : ""}
      </div>
        </header>
        <main id="main" tabindex="-1" class="page">
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

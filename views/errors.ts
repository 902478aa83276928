/** Error pages for the browser: a 404 looks like the bank, not like a JSON problem. */
import { html } from "hono/html";
import { type Chrome, type Html, layout } from "./layout.ts";

/** What an error page says. */
export interface ErrorPageData {
  status: number;
  title: string;
  message: string;
}

/** A whole error page. */
export function errorPage(chrome: Chrome, error: ErrorPageData): Html {
  return layout(
    chrome,
    html`<div class="error-page">
  <p class="error-page__status">Error ${error.status}</p>
  <h1>${error.title}</h1>
  <p>${error.message}</p>
  <p><a href="/app">Back to your dashboard</a></p>
</div>`,
  );
}

/** The same error as a fragment, for an htmx request to swap in where it asked. */
export function errorFragment(error: ErrorPageData): Html {
  return html`<div class="notice notice--error" role="alert">
  <h3 class="notice__title">${error.title}</h3>
  <p>${error.message}</p>
</div>`;
}

/**
 * Live regions: a part of a page that htmx re-asks for every LIVE_POLL_SECONDS, naming the state
 * it shows; the server answers 204 (htmx swaps nothing) while that state is unchanged, and the
 * region anew once it changed, so a focused button is replaced only when its row really moved.
 */
import { html } from "hono/html";
import type { Html } from "./layout.ts";

/** How often an open page asks whether its live regions changed. */
export const LIVE_POLL_SECONDS = 2;

/** `content`, kept current by htmx from `url` (which answers liveRegion again, or 204). */
export function liveRegion(
  region: { id: string; url: string; version: string; params?: Record<string, string> },
  content: Html,
): Html {
  // `params` (a paged list's window) go along, so the poll renders the page the reader is on.
  const query = new URLSearchParams({ ...region.params, v: region.version });
  const source = `${region.url}?${query}`;
  return html`<div id="${region.id}" class="live-region" hx-get="${source}"
  hx-trigger="every ${LIVE_POLL_SECONDS}s" hx-swap="outerHTML"
  data-live-version="${region.version}">${content}</div>`;
}

/** "Newer" / "Older" links under a paged list: plain links, so keyboard and Back just work. */
import { html } from "hono/html";
import type { Pager } from "../routes/pages/paging.ts";
import type { Html } from "./layout.ts";

/**
 * The pager of a list at `path` (which may carry its own query). `label` names the list for
 * screen readers ("Payments pages"); `prefix` tells two lists on one page apart; `anchor` brings
 * the reader back to the list.
 */
export function pagerLinks(
  pager: Pager,
  options: { path: string; label: string; prefix?: string; anchor?: string },
): Html | string {
  if (!pager.older && !pager.newer) return "";
  const join = options.path.includes("?") ? "&" : "?";
  const prefix = options.prefix ?? "";
  const anchor = options.anchor ? `#${options.anchor}` : "";
  const link = (key: string, cursor: string) =>
    `${options.path}${join}${prefix}${key}=${encodeURIComponent(cursor)}${anchor}`;
  return html`<nav class="pager" aria-label="${options.label}">
    ${
    pager.newer
      ? html`<a class="button button--quiet" rel="prev" href="${
        link("newer", pager.newer)
      }">← Newer</a>`
      : ""
  }
    ${
    pager.older
      ? html`<a class="button button--quiet" rel="next" href="${
        link("older", pager.older)
      }">Older →</a>`
      : ""
  }
  </nav>`;
}

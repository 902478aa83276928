/**
 * "Older" / "Newer" paging of a page's list, with the API's opaque cursors (routes/cursor.ts):
 * `?older=<cursor>` shows the rows before a position, `?newer=<cursor>` the rows after it.
 */
import type { Context } from "hono";
import { NotFoundError } from "../../domain/errors.ts";
import { decodeCursor, encodeCursor } from "../cursor.ts";

/** Where a page of a list starts: before a position (older), after it (newer), or the newest. */
export interface PageWindow {
  beforeSeq?: bigint;
  afterSeq?: bigint;
}

/** The links of a shown page: a cursor for each direction that has rows, or null. */
export interface Pager {
  older: string | null;
  newer: string | null;
}

/** Reads `older` / `newer` from the query; a cursor this site did not issue is the pages' 404. */
export function readWindow(c: Context, prefix = ""): PageWindow {
  const older = c.req.query(`${prefix}older`);
  const newer = c.req.query(`${prefix}newer`);
  try {
    if (older) return { beforeSeq: decodeCursor(older) };
    if (newer) return { afterSeq: decodeCursor(newer) };
  } catch {
    throw new NotFoundError("Page");
  }
  return {};
}

/**
 * The window as query parameters again, for a live region's poll (views/live.ts): the poll
 * renders the same page the reader is on, not the newest one.
 */
export function windowParams(window: PageWindow, prefix = ""): Record<string, string> {
  if (window.beforeSeq !== undefined) return { [`${prefix}older`]: encodeCursor(window.beforeSeq) };
  if (window.afterSeq !== undefined) return { [`${prefix}newer`]: encodeCursor(window.afterSeq) };
  return {};
}

/**
 * One page from `limit + 1` rows read in the window's direction (newest first, or oldest first
 * after a position): the rows newest first and the cursors of the pages either side.
 */
export function windowPage<Row extends { seq: bigint }>(
  rows: Row[],
  limit: number,
  window: PageWindow,
): { rows: Row[]; pager: Pager } {
  const more = rows.length > limit;
  const shown = rows.slice(0, limit);
  if (window.afterSeq !== undefined) shown.reverse();
  const first = shown[0];
  const last = shown[shown.length - 1];
  if (!first || !last) {
    // An empty page past either end: offer the way back to the newest.
    return { rows: [], pager: { older: null, newer: null } };
  }
  const olderExists = window.afterSeq !== undefined ? true : more;
  const newerExists = window.afterSeq !== undefined ? more : window.beforeSeq !== undefined;
  return {
    rows: shown,
    pager: {
      older: olderExists ? encodeCursor(last.seq) : null,
      newer: newerExists ? encodeCursor(first.seq) : null,
    },
  };
}

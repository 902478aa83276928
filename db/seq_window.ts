/**
 * A list's window by position (`seq`), written once for every paged list: the rows before a
 * position newest first (the API's cursor, a page's "Older" link), or the rows after it oldest
 * first (a page's "Newer" link; routes/pages/paging.ts puts them back newest first).
 */
import type { Fragment, Queryable } from "./client.ts";

/** Where a page of a list starts: before a position, after it, or (neither) the newest rows. */
export interface SeqWindow {
  beforeSeq?: bigint;
  afterSeq?: bigint;
}

/** `AND <column> < … AND <column> > …` for what the window names (nothing for the newest). */
export function seqWindowWhere(sql: Queryable, column: Fragment, window: SeqWindow): Fragment {
  return sql`${window.beforeSeq !== undefined ? sql`AND ${column} < ${window.beforeSeq}` : sql``}
    ${window.afterSeq !== undefined ? sql`AND ${column} > ${window.afterSeq}` : sql``}`;
}

/** `ORDER BY <column> …`: newest first, or oldest first after a position. */
export function seqWindowOrder(sql: Queryable, column: Fragment, window: SeqWindow): Fragment {
  return window.afterSeq !== undefined ? sql`ORDER BY ${column} ASC` : sql`ORDER BY ${column} DESC`;
}

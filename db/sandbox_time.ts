/** A user's sandbox time in SQL: the one spelling of "real time plus the owner's clock offset". */
import type { Fragment, Queryable } from "./client.ts";

/**
 * The sandbox time of the user row `user` (default `u`) at real time `realNow` (a timestamptz
 * expression or parameter): every deadline on user data compares against this.
 */
export function sandboxNowSql(
  sql: Queryable,
  realNow: Fragment,
  user: Fragment = sql`u`,
): Fragment {
  return sql`${realNow} + ${user}.clock_offset_seconds * interval '1 second'`;
}

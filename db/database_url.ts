/**
 * What DATABASE_URL may be: one PostgreSQL host, or several (`postgres://u@h1:p1,h2:p2/db`) for a
 * primary with standbys, as postgres.js reads it. With several, the app must only ever hold
 * connections to the primary: `target_session_attrs=primary`. Not `read-write`: postgres.js 3.4.9
 * decides that one from `default_transaction_read_only` alone, which is `off` on a hot standby, so
 * it would connect to the standby and every write there would fail (libpq also checks
 * `in_hot_standby`; postgres.js does that only for `primary`).
 */

/** Why `text` cannot be the app's DATABASE_URL, or undefined when it can. */
export function databaseUrlProblem(text: string): string | undefined {
  const scheme = /^(postgres|postgresql):\/\//.exec(text);
  if (!scheme) return "must be a postgres:// or postgresql:// URL";
  const authority = text.slice(scheme[0].length).split(/[/?#]/)[0];
  const hostList = authority.slice(authority.lastIndexOf("@") + 1);
  const hosts = hostList.split(",");
  if (hosts.some((host) => !/^(\[[0-9a-fA-F:.]+\]|[^:\[\]]+)(:\d{1,5})?$/.test(host))) {
    return "must name each host as host or host:port, separated by commas";
  }
  let url: URL;
  try {
    // As postgres.js parses it: the URL with the first host stands for the rest.
    url = new URL(text.replace(hostList, hosts[0]));
  } catch {
    return "must be a valid URL";
  }
  if (hosts.length > 1 && url.searchParams.get("target_session_attrs") !== "primary") {
    return "names several hosts, so it needs target_session_attrs=primary (postgres.js would " +
      "otherwise connect to a standby too; it counts a hot standby as read-write)";
  }
  return undefined;
}

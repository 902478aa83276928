/** The postgres.js connection: one code path for real PostgreSQL and the embedded database. */
import postgres from "postgres";
import { isConnectionFailure } from "./connection_failures.ts";

/** A postgres.js client whose BIGINT columns arrive as JS bigint. */
export type Sql = postgres.Sql<{ bigint: bigint }>;

/** A postgres.js transaction handle (what `sql.begin` passes to its callback). */
export type Tx = postgres.TransactionSql<{ bigint: bigint }>;

/** A piece of SQL with its parameters, to be spliced into a query. */
export type Fragment = postgres.Fragment;

/** Either a client or a transaction: read functions accept both. */
export type Queryable = Sql | Tx;

/**
 * What stands between the app and PostgreSQL. `none`: nothing (or a pooler that passes startup
 * parameters on). `session`: a pooler on which prepared statements keep working (session pooling,
 * or PgBouncer >= 1.21 in transaction mode with `max_prepared_statements`). `transaction`: a
 * transaction-mode pooler without them (PgBouncer <= 1.20): a named statement prepared on one
 * server connection is missing on the next (26000), so statements are sent unnamed.
 */
export type DatabasePooler = "none" | "session" | "transaction";

/** Options for opening the database client. */
export interface ConnectOptions {
  /** Connections in the pool; the embedded database takes exactly one. */
  max: number;
  /** Seconds an idle connection stays open. */
  idleTimeoutSeconds?: number;
  /** The pooler in front of PostgreSQL, if any (`none` by default). */
  pooler?: DatabasePooler;
}

/**
 * The longest one statement may run, in milliseconds: the request timeout (app.ts). A statement
 * still running then serves nobody (the client has had its 503) but holds a connection and its
 * locks; movements never get near it (their whole budget is 4 s). Migrations and the audit, which
 * are not request work, lift it for their own transaction.
 */
export const STATEMENT_TIMEOUT_MS = 10_000;

/**
 * The longest a transaction may sit idle between statements before PostgreSQL ends its session, in
 * milliseconds. No transaction here waits on anything but the database and a little of its own
 * code, and a movement's whole transaction, retries included, is bounded by its 4 s budget; so a
 * transaction idle this long (twice that budget) was abandoned, e.g. left `idle in transaction
 * (aborted)` by a client that lost track of it, and would hold a pooled server connection forever.
 */
export const IDLE_IN_TRANSACTION_TIMEOUT_MS = 8_000;

/**
 * The settings sent when each connection starts. Poolers refuse startup parameters they do not
 * know (PgBouncer: "unsupported startup parameter"), and none can carry these two to the server
 * connection it lends, so behind one they are the role's settings instead (README "Behind a
 * connection pooler"). The embedded database ignores them (it has no timers).
 */
export function startupParameters(pooler: DatabasePooler): Record<string, string> {
  const parameters: Record<string, string> = { application_name: "bank-api-sandbox" };
  if (pooler !== "none") return parameters;
  return {
    ...parameters,
    statement_timeout: String(STATEMENT_TIMEOUT_MS),
    idle_in_transaction_session_timeout: String(IDLE_IN_TRANSACTION_TIMEOUT_MS),
  };
}

/**
 * The longest a pool waits before reconnecting after failed connections. postgres.js's default
 * grows to 20 s, so after a database restart the app would stay away long after the database
 * is back; a bank should be serving again within a second.
 */
export const RECONNECT_BACKOFF_SECONDS_MAX = 1;

/** Opens a postgres.js pool with BIGINT as bigint and server notices silenced. */
export function connectDatabase(url: string, options: ConnectOptions): Sql {
  const pooler = options.pooler ?? "none";
  return postgres(url, {
    max: options.max,
    idle_timeout: options.idleTimeoutSeconds ?? 30,
    connect_timeout: 5,
    backoff: (retries: number) =>
      (0.5 + Math.random() / 2) * Math.min(0.05 * 2 ** retries, RECONNECT_BACKOFF_SECONDS_MAX),
    // Connections are replaced after this long so a pool never pins a stale backend forever.
    max_lifetime: 60 * 30,
    types: { bigint: postgres.BigInt },
    // Rows arrive camelCased so they match the domain's types without hand mapping.
    transform: { column: { from: postgres.toCamel } },
    // Notices (e.g. "table does not exist, skipping" from migrations) are noise to a bank.
    onnotice: () => {},
    connection: startupParameters(pooler),
    // Named prepared statements live on one server connection; see DatabasePooler.
    prepare: pooler !== "transaction",
  }) as unknown as Sql;
}

/**
 * postgres.js 3.4.9 can throw from a queued socket write after the server closed the connection
 * (porsager/postgres#1154, #1208: `socket.write` on null in `nextWrite`). The query it belonged to
 * was already rejected with CONNECTION_CLOSED, so the throw carries nothing to handle; uncaught,
 * it would end the process. This stops exactly that error from doing so and reports it.
 */
export function guardAgainstClosedSocketWrites(onGuarded: () => void): void {
  globalThis.addEventListener("error", (event) => {
    if (isClosedSocketWrite(event.error)) {
      event.preventDefault();
      onGuarded();
    }
  });
}

function isClosedSocketWrite(error: unknown): boolean {
  return error instanceof TypeError &&
    error.message.includes("reading 'write'") &&
    (error.stack ?? "").includes("/postgres/src/connection.js");
}

/**
 * postgres.js 3.4.9 fetches the array types on every new connection and drops that query's
 * promise (porsager/postgres#1192, #1205, #1223): when the query fails (its backend terminated
 * while the connection was starting, say, as a failover or `pg_terminate_backend` does), the
 * rejection reaches no handler and, uncaught, ends the process. Found by the chaos suite: after
 * the backend-termination step the server was gone ("Uncaught (in promise) PostgresError:
 * terminating connection due to administrator command"). The connection is dead and the query
 * that was waiting for it fails or runs on its own, so the rejection carries nothing to handle.
 * This stops exactly that rejection from ending the process and reports it.
 */
export function guardAgainstTypeFetchFailures(onGuarded: (code: string) => void): void {
  globalThis.addEventListener("unhandledrejection", (event) => {
    if (!isTypeFetchFailure(event.reason)) return;
    event.preventDefault();
    onGuarded(String((event.reason as { code?: unknown }).code));
  });
}

/**
 * True for a failure of postgres.js's own array-type query: the query text it attaches names it,
 * or (when the driver replays a killed backend's error onto that query, #1223) a connection
 * failure raised in the driver's connection code. Every query of the app's own is awaited, so an
 * unhandled one of those is the driver's.
 */
export function isTypeFetchFailure(reason: unknown): boolean {
  if (typeof reason !== "object" || reason === null) return false;
  const { code, query, stack } = reason as { code?: unknown; query?: unknown; stack?: unknown };
  if (typeof code !== "string") return false;
  if (typeof query === "string" && query.includes("pg_catalog.pg_type")) return true;
  return isConnectionFailure(reason) && String(stack).includes("/postgres/src/connection.js");
}

/** The postgres.js connection: one code path for real PostgreSQL and the embedded database. */
import postgres from "postgres";

/** A postgres.js client whose BIGINT columns arrive as JS bigint. */
export type Sql = postgres.Sql<{ bigint: bigint }>;

/** A postgres.js transaction handle (what `sql.begin` passes to its callback). */
export type Tx = postgres.TransactionSql<{ bigint: bigint }>;

/** A piece of SQL with its parameters, to be spliced into a query. */
export type Fragment = postgres.Fragment;

/** Either a client or a transaction: read functions accept both. */
export type Queryable = Sql | Tx;

/** Options for opening the database client. */
export interface ConnectOptions {
  /** Connections in the pool; the embedded database takes exactly one. */
  max: number;
  /** Seconds an idle connection stays open. */
  idleTimeoutSeconds?: number;
}

/**
 * The longest a pool waits before reconnecting after failed connections. postgres.js's default
 * grows to 20 s, so after a database restart the app would stay away long after the database
 * is back; a bank should be serving again within a second.
 */
export const RECONNECT_BACKOFF_SECONDS_MAX = 1;

/** Opens a postgres.js pool with BIGINT as bigint and server notices silenced. */
export function connectDatabase(url: string, options: ConnectOptions): Sql {
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
    connection: { application_name: "bank-api-sandbox" },
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

/**
 * Errors that say the database connection failed rather than the statement: the server is down,
 * restarting, out of connections, or the socket broke. Answered 503; retried only where the work
 * provably never committed.
 */

const CONNECTION_SQLSTATE = /^(08|57P0|53300)/;
const CONNECTION_CLIENT_CODES = new Set([
  "CONNECTION_CLOSED",
  "CONNECTION_ENDED",
  "CONNECTION_DESTROYED",
  "CONNECT_TIMEOUT",
  "ECONNREFUSED",
  "ECONNRESET",
  "EPIPE",
  "ETIMEDOUT",
  // serializable.ts: a transaction the database did not answer by its budget's end.
  "TRANSACTION_HUNG",
]);

/** True when the error says the database is unreachable, restarting or the connection broke. */
export function isConnectionFailure(error: unknown): boolean {
  const { code, name } = (error ?? {}) as { code?: unknown; name?: unknown };
  if (typeof code !== "string") return name === "ConnectionRefused";
  return CONNECTION_CLIENT_CODES.has(code) || CONNECTION_SQLSTATE.test(code);
}

/**
 * How many times work that never reached the database's commit is re-run after a connection
 * failure. More than one: postgres.js 3.4.9 replays a killed backend's error (57P01) onto the
 * first query of each reconnected connection (porsager/postgres#1223), so after a database
 * restart several pooled connections may each fail once although the database is back.
 */
export const CONNECTION_RETRIES_MAX = 4;
const CONNECTION_BACKOFF_MS_MAX = 100;

/** Counts connection-failure retries since the process started (logged with `stats`). */
export const connectionRetryStats = { connectionRetries: 0 };

/** A short, jittered pause before re-running work after a connection failure. */
export function pauseAfterConnectionFailure(retry: number): Promise<void> {
  connectionRetryStats.connectionRetries++;
  const ceilingMs = Math.min(CONNECTION_BACKOFF_MS_MAX, 20 * 2 ** retry);
  return new Promise((resolve) => setTimeout(resolve, Math.random() * ceilingMs));
}

/**
 * Runs `work`, re-running it after a connection failure. Only for work that is safe to run again
 * whatever the failed try did: reads, and writes that are idempotent by construction.
 */
export async function retryingConnectionFailures<T>(work: () => Promise<T>): Promise<T> {
  for (let retry = 0;; retry++) {
    try {
      return await work();
    } catch (error) {
      if (!isConnectionFailure(error) || retry >= CONNECTION_RETRIES_MAX) throw error;
      await pauseAfterConnectionFailure(retry);
    }
  }
}

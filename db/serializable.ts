/** SERIALIZABLE transactions with bounded, jittered retry on serialization failures and deadlocks. */
import { UnavailableError } from "../domain/errors.ts";
import type { Sql, Tx } from "./client.ts";
import {
  CONNECTION_RETRIES_MAX,
  isConnectionFailure,
  pauseAfterConnectionFailure,
} from "./connection_failures.ts";

/** Attempts before a contended movement gives up with 503. */
export const SERIALIZABLE_ATTEMPTS_MAX = 12;
const BACKOFF_BASE_MS = 4;
const BACKOFF_CAP_MS = 250;

/** Counts retries since the process started (logged as `stats` on SIGUSR1; the benchmark reads it). */
export const retryStats = { serializationRetries: 0 };

/** True for SQLSTATE 40001 (serialization_failure) and 40P01 (deadlock_detected). */
export function isRetryable(error: unknown): boolean {
  const code = (error as { code?: unknown })?.code;
  return code === "40001" || code === "40P01";
}

/**
 * Runs `work` in a SERIALIZABLE transaction, retrying it whole on 40001/40P01 with full-jitter
 * exponential backoff; after SERIALIZABLE_ATTEMPTS_MAX attempts the client gets a 503.
 *
 * A connection failure is retried too, but only while `work` had not finished: postgres.js sends
 * COMMIT only after `work` resolves, so such a transaction never committed and running it again
 * cannot post twice. A failure once COMMIT may have been sent is left to the caller (the client
 * retries under its Idempotency-Key, whose record commits with the movement).
 */
export async function serializable<T>(sql: Sql, work: (tx: Tx) => Promise<T>): Promise<T> {
  let connectionRetries = 0;
  for (let attempt = 1;;) {
    let committing = false;
    try {
      return await sql.begin("isolation level serializable", async (tx) => {
        const result = await work(tx);
        committing = true;
        return result;
      }) as T;
    } catch (error) {
      if (!committing && isConnectionFailure(error) && connectionRetries < CONNECTION_RETRIES_MAX) {
        await pauseAfterConnectionFailure(connectionRetries++);
        continue;
      }
      if (!isRetryable(error)) throw error;
      if (attempt >= SERIALIZABLE_ATTEMPTS_MAX) {
        throw new UnavailableError("The account is too busy right now; retry shortly");
      }
      retryStats.serializationRetries++;
      const ceilingMs = Math.min(BACKOFF_CAP_MS, BACKOFF_BASE_MS * 2 ** attempt);
      attempt++;
      await new Promise((resolve) => setTimeout(resolve, Math.random() * ceilingMs));
    }
  }
}

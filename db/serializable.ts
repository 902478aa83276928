/** SERIALIZABLE transactions with bounded, jittered retry on serialization failures and deadlocks. */
import { UnavailableError } from "../domain/errors.ts";
import { settledOrAfter } from "./account_queue.ts";
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

/**
 * The longest a movement's transaction may take, every retry included. Past it the transaction is
 * rolled back rather than committed. With the account queue's longest wait (QUEUE_WAIT_MS_MAX) it
 * stays well under the request timeout, so a request answered 503 for taking too long has posted
 * nothing and never posts afterwards: a client retrying without an Idempotency-Key cannot pay twice.
 */
export const TRANSACTION_BUDGET_MS = 4_000;

/**
 * Milliseconds on the process's monotonic timer: what every budget and request deadline here is
 * measured on (a request's `commitBy`, the queue's waits, a transaction's budget), as db/jobs.ts's
 * pass budgets are. It is elapsed real time, racing the request timeout's own timer, never a
 * date: nothing it returns is written, dated or compared with a sandbox clock, and setting the
 * wall clock cannot stretch or cut a budget (Date.now() would follow an NTP step).
 */
export const elapsedMs = (): number => performance.now();

// Thrown inside the transaction (so it rolls back) or between attempts once the budget is spent.
const budgetExceeded = () =>
  new UnavailableError("The bank is too busy right now; nothing was posted; retry shortly");

/**
 * How long past its budget a transaction is still waited for before it is given up. A statement
 * whose connection died without the driver noticing never settles (postgres.js 3.4.9 under a
 * failover), and one may wait on a lock another session holds: either way the group held the
 * movement pipeline, and every movement behind it on its accounts, until GROUP_STUCK_MS (the
 * failover chaos test saw the app serve again 13.6 s after the promotion). Given up before its
 * COMMIT went out, it is answered "nothing was posted": the work's end is checked against the
 * budget before COMMIT, so a statement that answers later can only roll it back. Given up with its
 * COMMIT out, the outcome is unknown: TRANSACTION_HUNG, a connection failure.
 */
export const HUNG_TRANSACTION_GRACE_MS = 1_000;

/** A transaction whose COMMIT was sent and not answered by its budget and the grace after it. */
export class TransactionHung extends Error {
  readonly code = "TRANSACTION_HUNG";
  constructor() {
    super("The database did not answer the transaction in time");
  }
}

const TIMER_MS_MAX = 2 ** 31 - 1;

// `transaction`'s outcome, or `givenUp()` once `by` (on elapsedMs) has passed; a late outcome of
// the abandoned transaction is dropped.
async function answeredBy<T>(
  transaction: Promise<T>,
  by: number,
  givenUp: () => Error,
): Promise<T> {
  const waitMs = by - elapsedMs();
  // No deadline, no watch (a timer past 2^31 - 1 ms would fire at once).
  if (!(waitMs < TIMER_MS_MAX)) return await transaction;
  let settled = false;
  // Attached before settledOrAfter's own handler, so it has run when that wait ends.
  transaction.then(() => (settled = true), () => (settled = true));
  await settledOrAfter(transaction, Math.max(0, waitMs));
  if (!settled) throw givenUp();
  return await transaction;
}

/** Counts retries since the process started (logged as `stats` on SIGUSR1; the benchmark reads it). */
export const retryStats = { serializationRetries: 0 };

/** True for SQLSTATE 40001 (serialization_failure) and 40P01 (deadlock_detected). */
export function isRetryable(error: unknown): boolean {
  const code = (error as { code?: unknown })?.code;
  return code === "40001" || code === "40P01";
}

/**
 * Hands `work`'s last statement to serializable() still in flight: COMMIT goes out right behind
 * it instead of a round trip later. If that statement fails, PostgreSQL answers the COMMIT with a
 * rollback (a failed statement aborts its transaction), and the failure is the attempt's own.
 */
export type InFlight = (statement: Promise<unknown>) => void;

/**
 * Runs `work` in a SERIALIZABLE transaction, retrying it whole on 40001/40P01 with full-jitter
 * exponential backoff; after SERIALIZABLE_ATTEMPTS_MAX attempts the client gets a 503.
 *
 * A connection failure is retried too, but only while `work` had not finished: postgres.js sends
 * COMMIT only after `work` resolves, so such a transaction never committed and running it again
 * cannot post twice. A failure once COMMIT may have been sent is left to the caller (the client
 * retries under its Idempotency-Key, whose record commits with the movement). Whatever happens,
 * the transaction never commits once `budgetMs` has passed since the first attempt began.
 *
 * Statements `work` leaves in flight (`inFlight`) are answered before the COMMIT behind them: one
 * that failed made the transaction roll back, and is thrown here as if `work` had thrown it.
 */
export async function serializable<T>(
  sql: Sql,
  work: (tx: Tx, inFlight: InFlight) => Promise<T>,
  budgetMs = TRANSACTION_BUDGET_MS,
): Promise<T> {
  const deadline = elapsedMs() + budgetMs;
  let connectionRetries = 0;
  for (let attempt = 1;;) {
    let committing = false;
    const pending: Promise<unknown>[] = [];
    const inFlight: InFlight = (statement) => {
      // Handled now: the attempt may fail before anything awaits it.
      statement.catch(() => {});
      pending.push(statement);
    };
    try {
      const transaction = sql.begin("isolation level serializable", async (tx) => {
        const result = await work(tx, inFlight);
        if (elapsedMs() > deadline) throw budgetExceeded();
        committing = true;
        return result;
      }) as Promise<T>;
      const result = await answeredBy(
        transaction,
        deadline + HUNG_TRANSACTION_GRACE_MS,
        () => committing ? new TransactionHung() : budgetExceeded(),
      );
      // Already answered, ahead of the COMMIT: this waits for nothing.
      await Promise.all(pending);
      return result;
    } catch (error) {
      const inBudget = elapsedMs() < deadline;
      if (
        !committing && isConnectionFailure(error) && connectionRetries < CONNECTION_RETRIES_MAX &&
        inBudget
      ) {
        await pauseAfterConnectionFailure(connectionRetries++);
        continue;
      }
      if (!isRetryable(error)) throw error;
      if (!inBudget) throw budgetExceeded();
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

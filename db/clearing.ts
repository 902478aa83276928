/**
 * The clearing worker: settles and returns payments, and expires holds, when they fall due on
 * their owner's sandbox clock. State lives only in the database, so any number of instances may
 * run: each item is locked and re-checked by its planner, so it is processed exactly once.
 */
import { ConflictError } from "../domain/errors.ts";
import type { Sql } from "./client.ts";
import { submit } from "./pipeline.ts";
import { sandboxNowSql } from "./sandbox_time.ts";

/** Items looked at per pass. */
export const CLEARING_BATCH_MAX = 100;
/** Passes per run: a bound on one run's work, the next tick carries on. */
const CLEARING_PASSES_MAX = 50;

/** Something that fell due: a pending payment or an active hold. */
interface DueItem {
  kind: "payment" | "hold";
  id: string;
  userId: string;
  dueAt: Date;
}

/** What a run of the worker did. */
export interface ClearingRun {
  payments: number;
  holds: number;
}

/**
 * Processes everything due at `realNow` (each user's clock added), oldest due first: each item is
 * a command of the movement pipeline (a scheduled payment outcome or a hold expiry), so items
 * commit in groups and each is re-checked under its row's lock; one another instance processed
 * first is skipped. With `userId`, only that user's items.
 */
export async function processDue(
  sql: Sql,
  options: {
    realNow: Date;
    userId?: string;
    /** Called when one item fails; the run goes on with the next. Without it, the run throws. */
    onItemError?: (item: { kind: string; id: string }, error: unknown) => void;
  },
): Promise<ClearingRun> {
  const run: ClearingRun = { payments: 0, holds: 0 };
  for (let pass = 0; pass < CLEARING_PASSES_MAX; pass++) {
    const due = await findDue(sql, options);
    // Submitted together, in due order: the queue groups them and keeps that order.
    const done = await Promise.all(due.map((item) => processItem(sql, item, options)));
    for (const [index, item] of due.entries()) {
      if (done[index]) run[item.kind === "payment" ? "payments" : "holds"]++;
    }
    // A short pass may still leave work: a payment it settled can fall due again at once (its
    // return after settlement), so only a pass that did nothing ends the run.
    if (!done.some(Boolean)) break;
  }
  return run;
}

async function findDue(
  sql: Sql,
  options: { realNow: Date; userId?: string },
): Promise<DueItem[]> {
  const userFilter = (column: string) =>
    options.userId ? sql`AND ${sql(column)} = ${options.userId}` : sql``;
  const ownerNow = sandboxNowSql(sql, sql`${options.realNow}::timestamptz`);
  return await sql<DueItem[]>`
    SELECT * FROM (
      (SELECT 'payment' AS kind, p.id, p.user_id, p.settles_at AS due_at, p.seq
        FROM payments p JOIN users u ON u.id = p.user_id
        WHERE p.status = 'pending' AND p.scheduled_outcome <> 'manual' ${userFilter("p.user_id")}
          AND p.settles_at <= ${ownerNow}
        ORDER BY p.settles_at LIMIT ${CLEARING_BATCH_MAX})
      UNION ALL
      -- Settled payments the network takes back later (9999000006), due at returns_at.
      (SELECT 'payment' AS kind, p.id, p.user_id, p.returns_at AS due_at, p.seq
        FROM payments p JOIN users u ON u.id = p.user_id
        WHERE p.status = 'settled' AND p.returns_at IS NOT NULL ${userFilter("p.user_id")}
          AND p.returns_at <= ${ownerNow}
        ORDER BY p.returns_at LIMIT ${CLEARING_BATCH_MAX})
      UNION ALL
      (SELECT 'hold' AS kind, h.id, h.user_id, h.expires_at AS due_at, h.seq
        FROM holds h JOIN users u ON u.id = h.user_id
        WHERE h.status = 'active' ${userFilter("h.user_id")} AND h.expires_at <= ${ownerNow}
        ORDER BY h.expires_at LIMIT ${CLEARING_BATCH_MAX})
    ) AS due
    ORDER BY due_at, kind, seq LIMIT ${CLEARING_BATCH_MAX}`;
}

// True when this call processed the item; false when it was no longer due (processed by another
// instance first: the planner re-checks it under the row's lock and answers 409).
async function processItem(
  sql: Sql,
  item: DueItem,
  options: { realNow: Date; onItemError?: (item: DueItem, error: unknown) => void },
): Promise<boolean> {
  const command = { userId: item.userId, realNow: options.realNow };
  try {
    if (item.kind === "hold") {
      await submit<"hold_expire">(
        sql,
        { kind: "hold_expire", holdId: item.id, ...command },
        undefined,
      );
    } else {
      await submit<"payment_outcome">(
        sql,
        { kind: "payment_outcome", paymentId: item.id, ...command },
        undefined,
      );
    }
    return true;
  } catch (error) {
    if (error instanceof ConflictError) return false;
    // One failing item (a contended account, say) must not hold up everything due after it.
    if (!options.onItemError) throw error;
    options.onItemError(item, error);
    return false;
  }
}

/** How often a long-lived process runs the clearing pass (db/jobs.ts), in milliseconds. */
export const CLEARING_INTERVAL_MS = 1_000;

/**
 * The clearing worker: settles and returns payments, and expires holds, when they fall due on
 * their owner's sandbox clock. State lives only in the database, so any number of instances may
 * run: each item is claimed with FOR UPDATE SKIP LOCKED and re-checked under its lock, so it is
 * processed exactly once.
 */
import type { Logger } from "../routes/logger.ts";
import type { Sql, Tx } from "./client.ts";
import { expireHold, type HoldRow } from "./holds.ts";
import { applyOutcome, type ForcedOutcome, type PaymentRow } from "./payments.ts";
import { serializable } from "./serializable.ts";

/** Items looked at per pass. */
export const CLEARING_BATCH_MAX = 100;
/** Passes per run: a bound on one run's work, the next tick carries on. */
const CLEARING_PASSES_MAX = 50;

/** Something that fell due: a pending payment or an active hold. */
interface DueItem {
  kind: "payment" | "hold";
  id: string;
  dueAt: Date;
}

/** What a run of the worker did. */
export interface ClearingRun {
  payments: number;
  holds: number;
}

/**
 * Processes everything due at `realNow` (each user's clock added), oldest due first, each item in
 * its own transaction. With `userId`, only that user's items. `wait` makes a locked item wait for
 * its lock rather than be skipped (the clock advance must see all it made due processed).
 */
export async function processDue(
  sql: Sql,
  options: {
    realNow: Date;
    userId?: string;
    wait?: boolean;
    /** Called when one item fails; the run goes on with the next. Without it, the run throws. */
    onItemError?: (item: { kind: string; id: string }, error: unknown) => void;
  },
): Promise<ClearingRun> {
  const run: ClearingRun = { payments: 0, holds: 0 };
  for (let pass = 0; pass < CLEARING_PASSES_MAX; pass++) {
    const due = await findDue(sql, options);
    let processed = 0;
    for (const item of due) {
      let done = false;
      try {
        done = await processItem(sql, item, options);
      } catch (error) {
        // One failing item (a contended account, say) must not hold up everything due after it.
        if (!options.onItemError) throw error;
        options.onItemError(item, error);
      }
      if (done) {
        processed++;
        run[item.kind === "payment" ? "payments" : "holds"]++;
      }
    }
    if (processed === 0 || due.length < CLEARING_BATCH_MAX) break;
  }
  return run;
}

async function findDue(
  sql: Sql,
  options: { realNow: Date; userId?: string },
): Promise<DueItem[]> {
  const userFilter = (column: string) =>
    options.userId ? sql`AND ${sql(column)} = ${options.userId}` : sql``;
  return await sql<DueItem[]>`
    SELECT * FROM (
      (SELECT 'payment' AS kind, p.id, p.settles_at AS due_at, p.seq
        FROM payments p JOIN users u ON u.id = p.user_id
        WHERE p.status = 'pending' AND p.scheduled_outcome <> 'manual' ${userFilter("p.user_id")}
          AND p.settles_at <= ${options.realNow}::timestamptz
                              + u.clock_offset_seconds * interval '1 second'
        ORDER BY p.settles_at LIMIT ${CLEARING_BATCH_MAX})
      UNION ALL
      (SELECT 'hold' AS kind, h.id, h.expires_at AS due_at, h.seq
        FROM holds h JOIN users u ON u.id = h.user_id
        WHERE h.status = 'active' ${userFilter("h.user_id")}
          AND h.expires_at <= ${options.realNow}::timestamptz
                              + u.clock_offset_seconds * interval '1 second'
        ORDER BY h.expires_at LIMIT ${CLEARING_BATCH_MAX})
    ) AS due
    ORDER BY due_at, kind, seq LIMIT ${CLEARING_BATCH_MAX}`;
}

// Claims the item under its row lock and re-checks it is still due: whoever lost the race sees it
// processed and does nothing. True when this call processed it.
async function processItem(
  sql: Sql,
  item: DueItem,
  options: { realNow: Date; wait?: boolean },
): Promise<boolean> {
  const lockMode = options.wait ? sql`FOR UPDATE OF x` : sql`FOR UPDATE OF x SKIP LOCKED`;
  return await serializable(sql, async (tx: Tx) => {
    if (item.kind === "hold") {
      const [hold] = await tx<HoldRow[]>`
        SELECT x.* FROM holds x JOIN users u ON u.id = x.user_id
        WHERE x.id = ${item.id} AND x.status = 'active'
          AND x.expires_at <= ${options.realNow}::timestamptz
                              + u.clock_offset_seconds * interval '1 second'
        ${lockMode}`;
      if (!hold) return false;
      await expireHold(tx, hold);
      return true;
    }
    const [payment] = await tx<PaymentRow[]>`
      SELECT x.* FROM payments x JOIN users u ON u.id = x.user_id
      WHERE x.id = ${item.id} AND x.status = 'pending' AND x.scheduled_outcome <> 'manual'
        AND x.settles_at <= ${options.realNow}::timestamptz
                            + u.clock_offset_seconds * interval '1 second'
      ${lockMode}`;
    if (!payment) return false;
    const outcome: ForcedOutcome = payment.scheduledOutcome === "return"
      ? { kind: "return", reason: payment.scheduledReturnReason! }
      : { kind: "settle" };
    // Recorded at its due time, so a clock advance leaves the history as if time had passed.
    await applyOutcome(tx, payment, outcome, payment.settlesAt, options);
    return true;
  });
}

/** How often the in-process worker looks for due items, in milliseconds. */
export const CLEARING_INTERVAL_MS = 1_000;

/** Runs processDue every `intervalMs` (never two runs of this instance at once) until stopped. */
export function startClearingWorker(
  sql: Sql,
  options: { intervalMs: number; clock: () => Date; log: Logger },
): { stop(): Promise<void> } {
  let running: Promise<void> | undefined;
  const tick = () => {
    if (running) return;
    running = processDue(sql, {
      realNow: options.clock(),
      onItemError: (item, error) =>
        options.log("warn", "clearing_item_failed", {
          kind: item.kind,
          id: item.id,
          code: (error as { code?: string }).code,
        }),
    })
      .then((run) => {
        if (run.payments || run.holds) options.log("info", "clearing_processed", { ...run });
      })
      .catch((error) =>
        options.log("warn", "clearing_failed", { code: (error as { code?: string }).code })
      )
      .finally(() => (running = undefined));
  };
  const timer = setInterval(tick, options.intervalMs);
  return {
    async stop() {
      clearInterval(timer);
      await running;
    },
  };
}

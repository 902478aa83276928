/**
 * The clearing worker: settles and returns payments, expires holds, makes standing orders' runs
 * and collects debit orders, when they fall due on their owner's sandbox clock. State lives only in the database, so any number of instances may
 * run: each item is locked and re-checked by its planner, so it is processed exactly once.
 */
import { ConflictError } from "../domain/errors.ts";
import type { FraudRule } from "../domain/fraud/mod.ts";
import type { ClearingSettings } from "../domain/pipeline.ts";
import type { Fragment, Sql } from "./client.ts";
import { submit } from "./pipeline.ts";
import { sandboxNowSql } from "./sandbox_time.ts";

/** Items looked at per pass. */
export const CLEARING_BATCH_MAX = 100;
/** Passes per run: a bound on one run's work, the next tick carries on. */
const CLEARING_PASSES_MAX = 50;

/**
 * Something that fell due: a pending payment, an active hold, a pending card authorization
 * (found by its hold: the authorization expires, and its hold with it), a schedule's next run or
 * a debit order.
 */
interface DueItem {
  kind: "payment" | "hold" | "card_authorization" | "schedule" | "debit_order";
  id: string;
  userId: string;
  /** The schedule's or debit order's account (the command locks and screens it). */
  accountId: string | null;
  dueAt: Date;
}

/** What a run of the worker did. */
export interface ClearingRun {
  payments: number;
  holds: number;
  schedules: number;
  debitOrders: number;
}

/** What a standing order's run is decided under: the fraud rules and the clearing calendar. */
export interface DueSettings {
  rules: readonly FraudRule[];
  clearing: ClearingSettings;
}

/** A run that did nothing. */
export function emptyRun(): ClearingRun {
  return { payments: 0, holds: 0, schedules: 0, debitOrders: 0 };
}

/** Adds one run's counts to another's. */
export function addRun(total: ClearingRun, run: ClearingRun): void {
  total.payments += run.payments;
  total.holds += run.holds;
  total.schedules += run.schedules;
  total.debitOrders += run.debitOrders;
}

const COUNTED: Record<DueItem["kind"], keyof ClearingRun> = {
  payment: "payments",
  hold: "holds",
  // A card authorization expires with its hold: counted with the holds.
  card_authorization: "holds",
  schedule: "schedules",
  debit_order: "debitOrders",
};

/**
 * Processes everything due at `realNow` (each user's clock added), oldest due first: each item is
 * a command of the movement pipeline (a scheduled payment outcome or a hold expiry), so items
 * commit in groups and each is re-checked under its row's lock; one another instance processed
 * first is skipped. With `userId`, only that user's items. Standing orders run only with `due`
 * (their payments are decided under its rules and calendar).
 */
export async function processDue(
  sql: Sql,
  options: {
    realNow: Date;
    userId?: string;
    due?: DueSettings;
    /** Called when one item fails; the run goes on with the next. Without it, the run throws. */
    onItemError?: (item: { kind: string; id: string }, error: unknown) => void;
  },
): Promise<ClearingRun> {
  const run = emptyRun();
  for (let pass = 0; pass < CLEARING_PASSES_MAX; pass++) {
    const due = await findDue(sql, options);
    // Submitted together, in due order: the queue groups them and keeps that order.
    const done = await Promise.all(due.map((item) => processItem(sql, item, options)));
    for (const [index, item] of due.entries()) {
      if (done[index]) run[COUNTED[item.kind]]++;
    }
    // A short pass may still leave work: a payment it settled can fall due again at once (its
    // return after settlement), so only a pass that did nothing ends the run.
    if (!done.some(Boolean)) break;
  }
  return run;
}

async function findDue(
  sql: Sql,
  options: { realNow: Date; userId?: string; due?: DueSettings },
): Promise<DueItem[]> {
  const userFilter = (column: string) =>
    options.userId ? sql`AND ${sql(column)} = ${options.userId}` : sql``;
  const ownerNow = sandboxNowSql(sql, sql`${options.realNow}::timestamptz`);
  return await sql<DueItem[]>`
    SELECT * FROM (
      (SELECT 'payment' AS kind, p.id, p.user_id, NULL::uuid AS account_id,
          p.settles_at AS due_at, p.seq
        FROM payments p JOIN users u ON u.id = p.user_id
        WHERE p.status = 'pending' AND p.scheduled_outcome <> 'manual' ${userFilter("p.user_id")}
          AND p.settles_at <= ${ownerNow}
        ORDER BY p.settles_at LIMIT ${CLEARING_BATCH_MAX})
      UNION ALL
      -- Settled payments the network takes back later (9999000006), due at returns_at.
      (SELECT 'payment' AS kind, p.id, p.user_id, NULL::uuid AS account_id,
          p.returns_at AS due_at, p.seq
        FROM payments p JOIN users u ON u.id = p.user_id
        WHERE p.status = 'settled' AND p.returns_at IS NOT NULL ${userFilter("p.user_id")}
          AND p.returns_at <= ${ownerNow}
        ORDER BY p.returns_at LIMIT ${CLEARING_BATCH_MAX})
      UNION ALL
      (SELECT CASE WHEN ca.id IS NULL THEN 'hold' ELSE 'card_authorization' END AS kind,
          coalesce(ca.id, h.id) AS id, h.user_id, NULL::uuid AS account_id,
          h.expires_at AS due_at, h.seq
        FROM holds h JOIN users u ON u.id = h.user_id
        LEFT JOIN card_authorizations ca ON ca.hold_id = h.id
        WHERE h.status = 'active' ${userFilter("h.user_id")} AND h.expires_at <= ${ownerNow}
        ORDER BY h.expires_at LIMIT ${CLEARING_BATCH_MAX})
      UNION ALL
      (SELECT 'debit_order' AS kind, d.id, d.user_id, d.account_id, d.collect_at AS due_at, d.seq
        FROM debit_orders d JOIN users u ON u.id = d.user_id
        WHERE d.status = 'scheduled' ${userFilter("d.user_id")} AND d.collect_at <= ${ownerNow}
        ORDER BY d.collect_at LIMIT ${CLEARING_BATCH_MAX})
      ${options.due ? dueSchedulesSql(sql, ownerNow, userFilter("s.user_id")) : sql``}
    ) AS due
    ORDER BY due_at, kind, seq LIMIT ${CLEARING_BATCH_MAX}`;
}

// Active schedules whose next run is due (only one run of each at a time: the next falls due
// once this one has moved next_run_at on).
function dueSchedulesSql(sql: Sql, ownerNow: Fragment, userFilter: Fragment): Fragment {
  return sql`
    UNION ALL
    (SELECT 'schedule' AS kind, s.id, s.user_id, s.account_id, s.next_run_at AS due_at, s.seq
      FROM payment_schedules s JOIN users u ON u.id = s.user_id
      WHERE s.status = 'active' ${userFilter} AND s.next_run_at <= ${ownerNow}
      ORDER BY s.next_run_at LIMIT ${CLEARING_BATCH_MAX})`;
}

// True when this call processed the item; false when it was no longer due (processed by another
// instance first: the planner re-checks it under the row's lock and answers 409).
async function processItem(
  sql: Sql,
  item: DueItem,
  options: {
    realNow: Date;
    due?: DueSettings;
    onItemError?: (item: DueItem, error: unknown) => void;
  },
): Promise<boolean> {
  const command = { userId: item.userId, realNow: options.realNow };
  try {
    if (item.kind === "card_authorization") {
      await submit<"card_expire">(
        sql,
        { kind: "card_expire", authorizationId: item.id, ...command },
        undefined,
      );
    } else if (item.kind === "schedule" || item.kind === "debit_order") {
      await submitRun(sql, item, options);
    } else if (item.kind === "hold") {
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

// A standing order's run or a debit order's collection, as a command of the pipeline.
async function submitRun(
  sql: Sql,
  item: DueItem,
  options: { realNow: Date; due?: DueSettings },
): Promise<void> {
  const base = { userId: item.userId, realNow: options.realNow, accountId: item.accountId ?? "" };
  if (item.kind === "debit_order") {
    await submit<"debit_order_collect">(
      sql,
      { kind: "debit_order_collect", debitOrderId: item.id, ...base },
      undefined,
    );
    return;
  }
  // findDue lists schedules only when `due` is given.
  const due = options.due;
  if (!due) return;
  await submit<"schedule_run">(
    sql,
    { kind: "schedule_run", scheduleId: item.id, clearing: due.clearing, ...base },
    { rules: due.rules },
  );
}

/** How often a long-lived process runs the clearing pass (db/jobs.ts), in milliseconds. */
export const CLEARING_INTERVAL_MS = 1_000;

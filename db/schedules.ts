/**
 * Standing orders (payment_schedules). Creating and cancelling one are commands of the movement
 * pipeline (domain/planners/schedule_change.ts), as are its runs (db/clearing.ts); this module
 * submits them and reads schedules back, scoped to their owner.
 */
import type { ScheduleChangeResult, ScheduleCreateCommand } from "../domain/pipeline.ts";
import type { ScheduleState } from "../domain/schedules.ts";
import type { Queryable, Sql } from "./client.ts";
import type { PaymentOptions } from "./payments.ts";
import { submit } from "./pipeline.ts";

/** A new standing order, as the pipeline takes it (without its kind). */
export type CreateScheduleCommand = Omit<ScheduleCreateCommand, "kind">;

/** Creates a standing order on one of the user's accounts (another's is a 404). */
export async function createSchedule(
  sql: Sql,
  command: CreateScheduleCommand,
  options: PaymentOptions<ScheduleChangeResult> = {},
): Promise<ScheduleChangeResult> {
  return await submit<"schedule_create">(
    sql,
    { kind: "schedule_create", ...command },
    undefined,
    options,
  );
}

/** Cancels one of the user's active standing orders: 404 for another's, 409 once ended. */
export async function cancelSchedule(
  sql: Sql,
  command: { userId: string; scheduleId: string; realNow: Date },
  options: PaymentOptions<ScheduleChangeResult> = {},
): Promise<ScheduleChangeResult> {
  return await submit<"schedule_cancel">(
    sql,
    { kind: "schedule_cancel", ...command },
    undefined,
    options,
  );
}

const COLUMNS = (sql: Queryable) =>
  sql`id, seq, user_id, account_id, amount, currency, counterparty, description,
    run_interval AS interval, start_date::text, next_run_on::text, next_run_at, runs_made, count,
    end_date::text, status, created_at, ended_at`;

/** A schedule as stored, with its list position. */
export type ScheduleRow = ScheduleState & { seq: bigint };

/** The user's schedules, newest first; `beforeSeq` is the decoded cursor. */
export async function listSchedules(
  sql: Queryable,
  filter: { userId: string; beforeSeq?: bigint; limit: number },
): Promise<ScheduleRow[]> {
  return await sql<ScheduleRow[]>`
    SELECT ${COLUMNS(sql)} FROM payment_schedules
    WHERE user_id = ${filter.userId}
      ${filter.beforeSeq !== undefined ? sql`AND seq < ${filter.beforeSeq}` : sql``}
    ORDER BY seq DESC LIMIT ${filter.limit}`;
}

/** One of the user's schedules, or undefined (another user's is the same as none). */
export async function findSchedule(
  sql: Queryable,
  userId: string,
  scheduleId: string,
): Promise<ScheduleRow | undefined> {
  const [row] = await sql<ScheduleRow[]>`
    SELECT ${COLUMNS(sql)} FROM payment_schedules
    WHERE id = ${scheduleId} AND user_id = ${userId}`;
  return row;
}

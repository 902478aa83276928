/** Standing orders created and cancelled: rows and events only, no money moves. */
import { ConflictError, NotFoundError } from "../errors.ts";
import { currencyOf, parseAmount } from "../money.ts";
import type {
  Plan,
  PlanInput,
  ScheduleCancelCommand,
  ScheduleChangeResult,
  ScheduleCreateCommand,
} from "../pipeline.ts";
import {
  assertScheduleDates,
  dueAt,
  scheduleJson,
  type ScheduleState,
  todayOn,
} from "../schedules.ts";
import { ownAccount } from "./own_account.ts";
import { emptyPlan } from "./rows.ts";

/**
 * Plans a new standing order on one of the user's accounts: its first run on `start_date`
 * (today or later on the user's clock), in the account's currency.
 */
export function planScheduleCreate(
  input: PlanInput<ScheduleCreateCommand>,
): Plan<ScheduleChangeResult> {
  const { command, now } = input;
  const account = ownAccount(input, command.accountId);
  const amount = parseAmount(command.amount, currencyOf(account.currency));
  assertScheduleDates(command, todayOn(command.calendar, now));
  const schedule: ScheduleState = {
    id: input.newId(),
    userId: command.userId,
    accountId: account.id,
    amount,
    currency: account.currency,
    counterparty: command.counterparty,
    description: command.description,
    interval: command.interval,
    startDate: command.startDate,
    nextRunOn: command.startDate,
    nextRunAt: dueAt(command.calendar, command.startDate, now),
    runsMade: 0,
    count: command.count,
    endDate: command.endDate,
    status: "active",
    createdAt: now,
    endedAt: null,
  };
  return scheduleChanged(schedule, "payment_schedule.created", now);
}

/** Plans the cancellation of one of the user's active standing orders (409 once ended). */
export function planScheduleCancel(
  input: PlanInput<ScheduleCancelCommand>,
): Plan<ScheduleChangeResult> {
  const { command, now } = input;
  const schedule = input.schedule(command.scheduleId);
  if (!schedule || schedule.userId !== command.userId) throw new NotFoundError("Payment schedule");
  assertActive(schedule, "cancel");
  const cancelled: ScheduleState = {
    ...schedule,
    status: "cancelled",
    nextRunOn: null,
    nextRunAt: null,
    endedAt: now,
  };
  return scheduleChanged(cancelled, "payment_schedule.cancelled", now);
}

/** A 409 for a schedule that has ended (completed or cancelled). */
export function assertActive(schedule: ScheduleState, verb: string): void {
  if (schedule.status !== "active") {
    throw new ConflictError(
      "schedule_not_active",
      `Cannot ${verb} the payment schedule: it is ${schedule.status}, not active`,
    );
  }
}

function scheduleChanged(
  schedule: ScheduleState,
  type: string,
  at: Date,
): Plan<ScheduleChangeResult> {
  return {
    ...emptyPlan({ schedule }),
    schedules: [schedule],
    events: [{ userId: schedule.userId, type, object: scheduleJson(schedule), createdAt: at }],
  };
}

/** A standing order's run: an outbound eft payment, decided by the payment_out planner. */
import { ConflictError, NotFoundError } from "../errors.ts";
import { currencyOf, formatAmount } from "../money.ts";
import type {
  PaymentOutCommand,
  Plan,
  PlanInput,
  PlannedEvent,
  ScheduleRunCommand,
  ScheduleRunResult,
} from "../pipeline.ts";
import { afterRuns, scheduleJson } from "../schedules.ts";
import { planPaymentOut } from "./payment_out.ts";
import { assertActive } from "./schedule_change.ts";

/**
 * Plans the schedule's next run once it is due on the owner's clock, dated at its due time: the
 * payment is checked like any other (fraud rules, funds) and a refusal is a `rejected` payment
 * and a `payment_schedule.run_failed` event; either way the run counts, and the schedule moves to
 * its next date or completes. A run not yet due (made already by another pass) is a 409.
 */
export function planScheduleRun(input: PlanInput<ScheduleRunCommand>): Plan<ScheduleRunResult> {
  const { command, now } = input;
  const schedule = input.schedule(command.scheduleId);
  if (!schedule || schedule.userId !== command.userId) throw new NotFoundError("Payment schedule");
  assertActive(schedule, "run");
  const { nextRunAt, nextRunOn } = schedule;
  if (!nextRunAt || !nextRunOn || nextRunAt > now || schedule.accountId !== command.accountId) {
    throw new ConflictError("schedule_run_not_due", "Cannot run the payment schedule: not due yet");
  }
  const payment: PaymentOutCommand = {
    kind: "payment_out",
    userId: command.userId,
    realNow: command.realNow,
    accountId: schedule.accountId,
    amount: formatAmount(schedule.amount, currencyOf(schedule.currency)),
    description: schedule.description,
    counterparty: schedule.counterparty,
    rail: "eft",
    clearing: command.clearing,
  };
  const paid = planPaymentOut({ ...input, command: payment, now: nextRunAt });
  const runNumber = schedule.runsMade + 1;
  const after = afterRuns(schedule, runNumber, command.clearing.calendar, nextRunAt);
  const object = {
    ...scheduleJson(after),
    run_number: runNumber,
    run_on: nextRunOn,
    payment_id: paid.result.payment.id,
  };
  const event = (type: string): PlannedEvent => ({
    userId: command.userId,
    type,
    object,
    createdAt: nextRunAt,
  });
  const events = [
    event(paid.verdict.approved ? "payment_schedule.run" : "payment_schedule.run_failed"),
  ];
  if (after.status === "completed") events.push(event("payment_schedule.completed"));
  return {
    ...paid,
    schedules: [after],
    scheduleRuns: [{
      scheduleId: schedule.id,
      runNumber,
      runOn: nextRunOn,
      paymentId: paid.result.payment.id,
      createdAt: nextRunAt,
    }],
    events: [...paid.events, ...events],
    result: { ...paid.result, schedule: after },
  };
}

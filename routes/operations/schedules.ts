/** Standing-order and debit-order operations, for the API and the pages alike. */
import type { DueSettings } from "../../db/clearing.ts";
import { createDebitOrder, disputeDebitOrder } from "../../db/debit_orders.ts";
import { cancelSchedule, createSchedule } from "../../db/schedules.ts";
import { isValidAccountNumber } from "../../domain/account_number.ts";
import { type Creditor, debitOrderJson } from "../../domain/debit_orders.ts";
import { InvalidInputError } from "../../domain/errors.ts";
import type { Counterparty } from "../../domain/payments.ts";
import type { DebitOrderResult, ScheduleChangeResult } from "../../domain/pipeline.ts";
import { type ScheduleInterval, scheduleJson } from "../../domain/schedules.ts";
import type { AppDeps } from "../app_env.ts";
import { okAnswer } from "./answers.ts";
import { clearingOf } from "./payments.ts";
import { type Ran, type RequestContext, runOperation, type Success } from "./run.ts";

/** A Schedule as JSON. */
export type ScheduleJson = ReturnType<typeof scheduleJson>;
/** A DebitOrder as JSON. */
export type DebitOrderJson = ReturnType<typeof debitOrderJson>;

/** What the clock's advances and the passes decide standing orders' runs under. */
export function dueSettingsFor(deps: AppDeps): DueSettings {
  return { rules: deps.fraudRules, clearing: clearingOf(deps) };
}

/** The body of POST /payment_schedules, as validated. */
export interface CreateScheduleBody {
  from_account_id: string;
  amount: string | number;
  counterparty: Counterparty;
  description?: string | null;
  interval: ScheduleInterval;
  start_date: string;
  count?: number;
  end_date?: string;
}

/** Creates a standing order: 201 Schedule. */
export async function startSchedule(
  deps: AppDeps,
  userId: string,
  body: CreateScheduleBody,
  context: RequestContext,
): Promise<Ran<ScheduleChangeResult, Success<201, ScheduleJson>>> {
  return await runOperation(
    deps,
    userId,
    { request: { method: "POST", path: "/payment_schedules", body }, context },
    (options) =>
      createSchedule(deps.sql, {
        userId,
        accountId: body.from_account_id,
        amount: body.amount,
        counterparty: body.counterparty,
        description: body.description ?? null,
        interval: body.interval,
        startDate: body.start_date,
        count: body.count ?? null,
        endDate: body.end_date ?? null,
        calendar: deps.config.clearingCalendar,
        realNow: deps.clock(),
      }, options),
    ({ schedule }) => okAnswer(201, scheduleJson(schedule)),
  );
}

/** Cancels a standing order: 200 Schedule (`cancelled`); 409 once ended. */
export async function stopSchedule(
  deps: AppDeps,
  userId: string,
  scheduleId: string,
  context: RequestContext,
): Promise<Ran<ScheduleChangeResult, Success<200, ScheduleJson>>> {
  const path = `/payment_schedules/${scheduleId}/cancel`;
  return await runOperation(
    deps,
    userId,
    { request: { method: "POST", path, body: {} }, context },
    (options) => cancelSchedule(deps.sql, { userId, scheduleId, realNow: deps.clock() }, options),
    ({ schedule }) => okAnswer(200, scheduleJson(schedule)),
  );
}

/** The body of POST /simulations/debit_orders, as validated. */
export interface CreateDebitOrderBody {
  account_number: string;
  amount: string | number;
  creditor: Creditor;
  collect_on?: string;
}

/** Simulates a debit order on the user's own account: 201 DebitOrder (`scheduled`). */
export async function announceDebitOrder(
  deps: AppDeps,
  userId: string,
  body: CreateDebitOrderBody,
  context: RequestContext,
): Promise<Ran<DebitOrderResult, Success<201, DebitOrderJson>>> {
  const accountNumber = body.account_number.replace(/[\s-]/g, "");
  if (!isValidAccountNumber(accountNumber)) {
    throw new InvalidInputError("account_number", "must be 10 digits with a valid check digit");
  }
  return await runOperation(
    deps,
    userId,
    { request: { method: "POST", path: "/simulations/debit_orders", body }, context },
    (options) =>
      createDebitOrder(deps.sql, {
        userId,
        accountNumber,
        amount: body.amount,
        creditor: body.creditor,
        collectOn: body.collect_on ?? null,
        description: null,
        calendar: deps.config.clearingCalendar,
        realNow: deps.clock(),
      }, options),
    ({ debitOrder }) => okAnswer(201, debitOrderJson(debitOrder)),
  );
}

/** Disputes a collected debit order: 200 DebitOrder (`reversed`); 409 after the window. */
export async function disputeOrder(
  deps: AppDeps,
  userId: string,
  debitOrderId: string,
  context: RequestContext,
): Promise<Ran<DebitOrderResult, Success<200, DebitOrderJson>>> {
  const path = `/debit_orders/${debitOrderId}/dispute`;
  return await runOperation(
    deps,
    userId,
    { request: { method: "POST", path, body: {} }, context },
    (options) =>
      disputeDebitOrder(deps.sql, {
        userId,
        debitOrderId,
        realNow: deps.clock(),
        disputeWindowDays: deps.config.debitOrderDisputeDays,
      }, options),
    ({ debitOrder }) => okAnswer(200, debitOrderJson(debitOrder)),
  );
}

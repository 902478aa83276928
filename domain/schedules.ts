/**
 * Standing orders: a payment to another bank repeated weekly or monthly. The date rules are here,
 * pure: when the n-th run falls, when it is due on the owner's clock, and when a schedule ends.
 */
import { type ClearingCalendar, localDate, zonedInstant } from "./business_days.ts";
import { InvalidInputError } from "./errors.ts";
import { currencyOf, formatAmount } from "./money.ts";
import type { Counterparty } from "./payments.ts";
import { addDays } from "./public_holidays.ts";

/** How often a schedule runs. */
export const SCHEDULE_INTERVALS = ["weekly", "monthly"] as const;
export type ScheduleInterval = typeof SCHEDULE_INTERVALS[number];

/** A schedule's life: active until its last run, its end date, or a cancellation. */
export const SCHEDULE_STATUSES = ["active", "completed", "cancelled"] as const;
export type ScheduleStatus = typeof SCHEDULE_STATUSES[number];

/** The most runs one schedule may be given (`count`). */
export const SCHEDULE_COUNT_MAX = 1000;

/** A schedule as stored; amounts in minor units, dates `YYYY-MM-DD` in the bank's zone. */
export interface ScheduleState {
  id: string;
  userId: string;
  accountId: string;
  amount: bigint;
  currency: string;
  counterparty: Counterparty;
  description: string | null;
  interval: ScheduleInterval;
  startDate: string;
  /** The date of the next run; null once the schedule has ended. */
  nextRunOn: string | null;
  /** When the next run falls due on the owner's clock; null once ended. */
  nextRunAt: Date | null;
  runsMade: number;
  count: number | null;
  endDate: string | null;
  status: ScheduleStatus;
  createdAt: Date;
  endedAt: Date | null;
}

/** A run of a schedule, as recorded once (its primary key is the schedule and the run number). */
export interface ScheduleRun {
  scheduleId: string;
  runNumber: number;
  runOn: string;
  paymentId: string;
  createdAt: Date;
}

const DAYS_IN_MONTH = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

function daysInMonth(year: number, month: number): number {
  const leap = (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
  return month === 2 && leap ? 29 : DAYS_IN_MONTH[month - 1];
}

/**
 * The date of run `index` (0 is the first, on `startDate`). Monthly runs keep the start's day of
 * the month, and run on a month's last day when it has no such day: a schedule starting on Jan 31
 * runs Feb 28 (29 in a leap year), then Mar 31 — each run is counted from the start, not from the
 * run before, so a short month does not pull later runs earlier.
 */
export function runDate(interval: ScheduleInterval, startDate: string, index: number): string {
  if (interval === "weekly") return addDays(startDate, 7 * index);
  const [year, month, day] = startDate.split("-").map(Number);
  const months = (month - 1) + index;
  const runYear = year + Math.floor(months / 12);
  const runMonth = (months % 12) + 1;
  const runDay = Math.min(day, daysInMonth(runYear, runMonth));
  const pad = (n: number) => String(n).padStart(2, "0");
  return `${String(runYear).padStart(4, "0")}-${pad(runMonth)}-${pad(runDay)}`;
}

/**
 * When a run or collection dated `date` falls due: in that day's clearing run (EFT_SETTLEMENT_TIME
 * in the bank's zone), and never before the object was created (a start date of today whose
 * clearing run has passed runs at once).
 */
export function dueAt(calendar: ClearingCalendar, date: string, createdAt: Date): Date {
  const run = zonedInstant(date, calendar.eftSettlement, calendar.timeZone);
  return run < createdAt ? createdAt : run;
}

/** Today's date in the bank's zone on the owner's clock. */
export function todayOn(calendar: ClearingCalendar, now: Date): string {
  return localDate(now, calendar.timeZone);
}

/** Refuses a schedule whose dates cannot run: a start before today, an end before the start. */
export function assertScheduleDates(
  dates: { startDate: string; endDate: string | null },
  today: string,
): void {
  if (dates.startDate < today) {
    throw new InvalidInputError("start_date", `must be today (${today}) or later on your clock`);
  }
  if (dates.endDate !== null && dates.endDate < dates.startDate) {
    throw new InvalidInputError("end_date", "must be on or after start_date");
  }
}

/**
 * The schedule after `runsMade` runs: the next run's date and due time, or completed (at `at`)
 * when it has made `count` runs or the next would fall after `end_date`.
 */
export function afterRuns(
  schedule: ScheduleState,
  runsMade: number,
  calendar: ClearingCalendar,
  at: Date,
): ScheduleState {
  const next = runDate(schedule.interval, schedule.startDate, runsMade);
  const done = (schedule.count !== null && runsMade >= schedule.count) ||
    (schedule.endDate !== null && next > schedule.endDate);
  if (done) {
    return {
      ...schedule,
      runsMade,
      status: "completed",
      nextRunOn: null,
      nextRunAt: null,
      endedAt: at,
    };
  }
  return {
    ...schedule,
    runsMade,
    nextRunOn: next,
    nextRunAt: dueAt(calendar, next, schedule.createdAt),
  };
}

/** A schedule as JSON (API bodies and event payloads). */
export function scheduleJson(schedule: ScheduleState) {
  return {
    id: schedule.id,
    from_account_id: schedule.accountId,
    amount: formatAmount(schedule.amount, currencyOf(schedule.currency)),
    currency: schedule.currency,
    counterparty: schedule.counterparty,
    description: schedule.description,
    interval: schedule.interval,
    start_date: schedule.startDate,
    next_run_on: schedule.nextRunOn,
    runs_made: schedule.runsMade,
    count: schedule.count,
    end_date: schedule.endDate,
    status: schedule.status,
    created_at: schedule.createdAt.toISOString(),
  };
}

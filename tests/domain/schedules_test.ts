/** The standing-order date rules, pure: run dates, due times, completion, date checks. */
import assert from "node:assert/strict";
import { InvalidInputError } from "../../domain/errors.ts";
import {
  afterRuns,
  assertScheduleDates,
  dueAt,
  runDate,
  type ScheduleState,
} from "../../domain/schedules.ts";
import { testConfig } from "../support/app.ts";

const CALENDAR = testConfig().clearingCalendar;

Deno.test("runDate: a monthly run on a day the month lacks runs on its last day (Jan 31 → Feb 28 → Mar 31)", () => {
  const runs = [0, 1, 2, 3].map((index) => runDate("monthly", "2027-01-31", index));
  assert.deepEqual(runs, ["2027-01-31", "2027-02-28", "2027-03-31", "2027-04-30"]);
});

Deno.test("runDate: in a leap year the February run is on the 29th", () => {
  assert.equal(runDate("monthly", "2028-01-31", 1), "2028-02-29");
  assert.equal(runDate("monthly", "2028-01-30", 1), "2028-02-29");
  assert.equal(runDate("monthly", "2028-01-29", 1), "2028-02-29");
  assert.equal(runDate("monthly", "2028-01-28", 1), "2028-02-28");
});

Deno.test("runDate: monthly runs cross the year, and weekly runs are seven days apart", () => {
  assert.equal(runDate("monthly", "2026-11-15", 3), "2027-02-15");
  assert.equal(runDate("monthly", "2026-12-31", 14), "2028-02-29");
  assert.equal(runDate("weekly", "2026-12-29", 1), "2027-01-05");
});

Deno.test("dueAt: a run falls due in its day's clearing run, never before its creation", () => {
  const run = dueAt(CALENDAR, "2027-03-10", new Date("2027-03-01T00:00:00Z"));
  assert.equal(run.toISOString(), "2027-03-10T04:00:00.000Z"); // 06:00 SAST
  const created = new Date("2027-03-10T09:00:00Z");
  assert.equal(dueAt(CALENDAR, "2027-03-10", created), created);
});

const schedule: ScheduleState = {
  id: "s",
  userId: "u",
  accountId: "a",
  amount: 100n,
  currency: "ZAR",
  counterparty: { name: "Acme", bank_code: "250655", account_number: "62001234567" },
  description: null,
  interval: "weekly",
  startDate: "2027-03-01",
  nextRunOn: "2027-03-01",
  nextRunAt: new Date("2027-03-01T04:00:00Z"),
  runsMade: 0,
  count: null,
  endDate: null,
  status: "active",
  createdAt: new Date("2027-02-01T00:00:00Z"),
  endedAt: null,
};
const at = new Date("2027-03-08T04:00:00Z");

Deno.test("afterRuns: a schedule completes once it has made `count` runs", () => {
  const counted = { ...schedule, count: 2 };
  assert.equal(afterRuns(counted, 1, CALENDAR, at).status, "active");
  const done = afterRuns(counted, 2, CALENDAR, at);
  assert.deepEqual([done.status, done.nextRunOn, done.nextRunAt, done.endedAt], [
    "completed",
    null,
    null,
    at,
  ]);
});

Deno.test("afterRuns: a schedule completes when its next run would fall after end_date", () => {
  const ended = { ...schedule, endDate: "2027-03-14" };
  const next = afterRuns(ended, 1, CALENDAR, at);
  assert.equal(next.nextRunOn, "2027-03-08");
  assert.equal(afterRuns(ended, 2, CALENDAR, at).status, "completed");
  assert.equal(
    afterRuns({ ...schedule, endDate: "2027-03-15" }, 2, CALENDAR, at).nextRunOn,
    "2027-03-15",
  );
});

Deno.test("assertScheduleDates refuses a start before today and an end before the start", () => {
  assert.throws(
    () => assertScheduleDates({ startDate: "2027-02-28", endDate: null }, "2027-03-01"),
    InvalidInputError,
  );
  assert.throws(
    () => assertScheduleDates({ startDate: "2027-03-05", endDate: "2027-03-04" }, "2027-03-01"),
    InvalidInputError,
  );
  assertScheduleDates({ startDate: "2027-03-01", endDate: "2027-03-01" }, "2027-03-01");
});

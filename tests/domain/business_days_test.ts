/** The clearing calendar: ZA public holidays, business days, EFT cut-off and settlement times. */
import assert from "node:assert/strict";
import {
  businessDayAfter,
  calendarDays,
  type ClearingCalendar,
  clearingRunAfter,
  eftSettlesAt,
  isBusinessDay,
  localDate,
  parseLocalTime,
  zonedInstant,
} from "../../domain/business_days.ts";
import { holidayOn, southAfricanHolidays } from "../../domain/public_holidays.ts";

const ZA: ClearingCalendar = {
  country: "ZA",
  timeZone: "Africa/Johannesburg",
  eftCutoff: { hours: 15, minutes: 0 },
  eftSettlement: { hours: 6, minutes: 0 },
};

Deno.test("southAfricanHolidays lists the Act's fixed days and the Easter ones for 2026", () => {
  assert.deepEqual([...southAfricanHolidays(2026).keys()].sort(), [
    "2026-01-01",
    "2026-03-21",
    "2026-04-03", // Good Friday
    "2026-04-06", // Family Day
    "2026-04-27",
    "2026-05-01",
    "2026-06-16",
    "2026-08-09",
    "2026-08-10", // Women's Day fell on a Sunday
    "2026-09-24",
    "2026-12-16",
    "2026-12-25",
    "2026-12-26",
  ]);
});

Deno.test("holidayOn names 16, 25 and 26 December 2026", () => {
  assert.equal(holidayOn("ZA", "2026-12-16"), "Day of Reconciliation");
  assert.equal(holidayOn("ZA", "2026-12-25"), "Christmas Day");
  assert.equal(holidayOn("ZA", "2026-12-26"), "Day of Goodwill");
  assert.equal(holidayOn("ZA", "2026-12-17"), undefined);
});

Deno.test("a holiday on a Sunday makes the Monday after a holiday", () => {
  assert.equal(holidayOn("ZA", "2026-08-10"), "National Women's Day (observed)");
  assert.equal(isBusinessDay(ZA, "2026-08-10"), false);
  // 2027: Day of Goodwill on a Sunday → Monday 27 December; 2022: Christmas on a Sunday, and the
  // Monday is Day of Goodwill already, so Tuesday 27 December is an ordinary day.
  assert.equal(holidayOn("ZA", "2027-12-27"), "Day of Goodwill (observed)");
  assert.equal(holidayOn("ZA", "2022-12-26"), "Day of Goodwill");
  assert.equal(holidayOn("ZA", "2022-12-27"), undefined);
});

Deno.test("holidayOn knows the days declared one at a time", () => {
  assert.equal(holidayOn("ZA", "2024-05-29"), "Voting Day");
  assert.equal(holidayOn("ZA", "2025-05-29"), undefined);
});

Deno.test("isBusinessDay: weekdays that are not holidays; never a Saturday or Sunday", () => {
  assert.equal(isBusinessDay(ZA, "2026-12-14"), true); // Monday
  assert.equal(isBusinessDay(ZA, "2026-12-12"), false); // Saturday
  assert.equal(isBusinessDay(ZA, "2026-12-13"), false); // Sunday
  assert.equal(isBusinessDay(ZA, "2026-12-16"), false); // Wednesday, a holiday
});

Deno.test("businessDayAfter skips weekends and holidays", () => {
  assert.equal(businessDayAfter(ZA, "2026-12-11"), "2026-12-14"); // Friday → Monday
  assert.equal(businessDayAfter(ZA, "2026-12-15"), "2026-12-17"); // over the 16th
  assert.equal(businessDayAfter(ZA, "2026-12-24"), "2026-12-28"); // over Christmas
  assert.equal(businessDayAfter(ZA, "2026-12-24", 2), "2026-12-29");
});

Deno.test("eftSettlesAt: before the cut-off, the next business day's run at 06:00 SAST", () => {
  // Monday 14 December 2026, 14:59:59 SAST (12:59:59 UTC) → Tuesday 06:00 SAST (04:00 UTC).
  assert.equal(
    eftSettlesAt(ZA, new Date("2026-12-14T12:59:59.999Z")).toISOString(),
    "2026-12-15T04:00:00.000Z",
  );
});

Deno.test("eftSettlesAt: at 15:00:00 exactly the cut-off has passed (one business day later)", () => {
  // Tuesday 15 December, 15:00 SAST: Wednesday is a holiday, Thursday is the next business day,
  // and being late it settles Friday.
  assert.equal(
    eftSettlesAt(ZA, new Date("2026-12-15T13:00:00.000Z")).toISOString(),
    "2026-12-18T04:00:00.000Z",
  );
  assert.equal(
    eftSettlesAt(ZA, new Date("2026-12-15T12:59:59.000Z")).toISOString(),
    "2026-12-17T04:00:00.000Z",
  );
});

Deno.test("eftSettlesAt: on a non-business day, one business day after the next", () => {
  // Saturday 12 December → Monday is the next business day, so Tuesday.
  assert.equal(
    eftSettlesAt(ZA, new Date("2026-12-12T08:00:00Z")).toISOString(),
    "2026-12-15T04:00:00.000Z",
  );
  // Christmas Day (Friday) → Monday 28th next, so Tuesday 29th.
  assert.equal(
    eftSettlesAt(ZA, new Date("2026-12-25T08:00:00Z")).toISOString(),
    "2026-12-29T04:00:00.000Z",
  );
});

Deno.test("eftSettlesAt reads the day in the bank's zone, not in UTC", () => {
  // 23:30 UTC on Friday 11 December is 01:30 SAST on Saturday: a non-business day.
  assert.equal(localDate(new Date("2026-12-11T23:30:00Z"), ZA.timeZone), "2026-12-12");
  assert.equal(
    eftSettlesAt(ZA, new Date("2026-12-11T23:30:00Z")).toISOString(),
    "2026-12-15T04:00:00.000Z",
  );
  // 21:59 UTC on Sunday 13 December is 23:59 SAST, still Sunday.
  assert.equal(
    eftSettlesAt(ZA, new Date("2026-12-13T21:59:00Z")).toISOString(),
    "2026-12-15T04:00:00.000Z",
  );
  // 22:00 UTC Sunday is 00:00 SAST Monday: before the cut-off on a business day.
  assert.equal(
    eftSettlesAt(ZA, new Date("2026-12-13T22:00:00Z")).toISOString(),
    "2026-12-15T04:00:00.000Z",
  );
  assert.equal(
    eftSettlesAt(ZA, new Date("2026-12-14T00:00:00Z")).toISOString(),
    "2026-12-15T04:00:00.000Z",
  );
});

Deno.test("zonedInstant follows the zone's offset, across a daylight-saving change too", () => {
  assert.equal(
    zonedInstant("2026-12-15", { hours: 6, minutes: 0 }, "Africa/Johannesburg").toISOString(),
    "2026-12-15T04:00:00.000Z",
  );
  // London: GMT in winter, BST (UTC+1) after 29 March 2026.
  assert.equal(
    zonedInstant("2026-03-28", { hours: 6, minutes: 0 }, "Europe/London").toISOString(),
    "2026-03-28T06:00:00.000Z",
  );
  assert.equal(
    zonedInstant("2026-03-30", { hours: 6, minutes: 0 }, "Europe/London").toISOString(),
    "2026-03-30T05:00:00.000Z",
  );
});

Deno.test("clearingRunAfter: the run two business days after the settling day", () => {
  // Settled Monday 14 December 06:00 SAST → Tuesday is one, Thursday (over the 16th) is two.
  assert.equal(
    clearingRunAfter(ZA, new Date("2026-12-14T04:00:00Z"), 2).toISOString(),
    "2026-12-17T04:00:00.000Z",
  );
});

Deno.test("calendarDays gives cut-off and run times on business days only", () => {
  const days = calendarDays(ZA, "2026-12-15", "2026-12-16");
  assert.deepEqual(days, [
    {
      date: "2026-12-15",
      businessDay: true,
      holiday: undefined,
      cutoffAt: new Date("2026-12-15T13:00:00Z"),
      settlementAt: new Date("2026-12-15T04:00:00Z"),
    },
    {
      date: "2026-12-16",
      businessDay: false,
      holiday: "Day of Reconciliation",
      cutoffAt: null,
      settlementAt: null,
    },
  ]);
});

Deno.test("parseLocalTime accepts HH:MM on the 24-hour clock only", () => {
  assert.deepEqual(parseLocalTime("15:00"), { hours: 15, minutes: 0 });
  assert.deepEqual(parseLocalTime("06:30"), { hours: 6, minutes: 30 });
  for (const bad of ["24:00", "6:00", "15:60", "15:00:00", ""]) {
    assert.equal(parseLocalTime(bad), undefined, bad);
  }
});

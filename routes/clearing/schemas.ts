/** The clearing calendar on the wire. */
import { z } from "@hono/zod-openapi";
import { CALENDAR_DAYS_MAX, type CalendarDay } from "../../domain/business_days.ts";

const date = z.iso.date().openapi({ example: "2026-12-14" });

/** The days asked for: dates in the bank's time zone, both included. */
export const CalendarQuery = z.strictObject({
  from: date.optional().openapi({
    param: { name: "from", in: "query" },
    description: "First day, included. Default: today in the bank's time zone, on your clock.",
  }),
  to: date.optional().openapi({
    param: { name: "to", in: "query" },
    description: `Last day, included; at most ${CALENDAR_DAYS_MAX} days from \`from\`. ` +
      "Default: 30 days after `from`.",
  }),
});

/** One day of the clearing calendar. */
export const CalendarDaySchema = z.object({
  date: z.string().openapi({ example: "2026-12-16" }),
  business_day: z.boolean(),
  holiday: z.string().optional().openapi({
    example: "Day of Reconciliation",
    description: "The public holiday's name; absent on an ordinary day.",
  }),
  cutoff_at: z.string().nullable().openapi({
    example: "2026-12-15T13:00:00.000Z",
    description: "When the day's EFT cut-off falls (EFT_CUTOFF_TIME in the bank's zone); null " +
      "on a day that is not a business day.",
  }),
  settlement_at: z.string().nullable().openapi({
    example: "2026-12-15T04:00:00.000Z",
    description: "When the day's clearing run settles EFTs (EFT_SETTLEMENT_TIME); null on a day " +
      "that is not a business day.",
  }),
}).openapi("ClearingCalendarDay");

/** The clearing calendar for a range of days. */
export const CalendarSchema = z.object({
  time_zone: z.string().openapi({ example: "Africa/Johannesburg" }),
  data: z.array(CalendarDaySchema),
}).openapi("ClearingCalendar");

/** A calendar day as JSON. */
export function toCalendarDayJson(day: CalendarDay) {
  return {
    date: day.date,
    business_day: day.businessDay,
    ...(day.holiday === undefined ? {} : { holiday: day.holiday }),
    cutoff_at: day.cutoffAt?.toISOString() ?? null,
    settlement_at: day.settlementAt?.toISOString() ?? null,
  };
}

/** Handler for the clearing calendar. */
import { readUserClock } from "../../db/users.ts";
import { CALENDAR_DAYS_MAX, calendarDays, localDate } from "../../domain/business_days.ts";
import { InvalidInputError } from "../../domain/errors.ts";
import { addDays } from "../../domain/public_holidays.ts";
import type { AppRouteHandler } from "../app_env.ts";
import type { CalendarRoute } from "./routes.ts";
import { toCalendarDayJson } from "./schemas.ts";

/** Days the calendar shows when the query gives no end. */
const CALENDAR_DEFAULT_DAYS = 30;

export const calendar: AppRouteHandler<CalendarRoute> = async (c) => {
  const { deps, userId } = c.var;
  const query = c.req.valid("query");
  const settings = deps.config.clearingCalendar;
  const { now } = await readUserClock(deps.sql, userId, deps.clock());
  const from = query.from ?? localDate(now, settings.timeZone);
  const to = query.to ?? addDays(from, CALENDAR_DEFAULT_DAYS);
  if (to < from) throw new InvalidInputError("to", "must not be before from");
  if (to > addDays(from, CALENDAR_DAYS_MAX - 1)) {
    throw new InvalidInputError("to", `must be at most ${CALENDAR_DAYS_MAX} days from from`);
  }
  const data = calendarDays(settings, from, to).map(toCalendarDayJson);
  return c.json({ time_zone: settings.timeZone, data }, 200);
};

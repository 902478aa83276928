/** The route of the clearing calendar. */
import { createRoute } from "@hono/zod-openapi";
import { requireUser } from "../auth/require_user.ts";
import { jsonResponse, problems } from "../schemas.ts";
import { CalendarQuery, CalendarSchema } from "./schemas.ts";

export const calendar = createRoute({
  method: "get",
  path: "/clearing/calendar",
  tags: ["Payments"],
  summary: "Business days, public holidays, EFT cut-offs and clearing runs",
  description: "The business days of BANK_COUNTRY (Monday to Friday, not a public holiday) in " +
    "BANK_TIME_ZONE. An `eft` payment settles in the clearing run (`settlement_at`) of the next " +
    "business day; created at or after the day's `cutoff_at`, or on a day that is not a business " +
    "day, one business day later.",
  middleware: [requireUser] as const,
  security: [{ bearerAuth: [] }],
  request: { query: CalendarQuery },
  responses: {
    200: jsonResponse(CalendarSchema, "The calendar's days, oldest first"),
    400: problems[400],
    401: problems[401],
  },
});
export type CalendarRoute = typeof calendar;

/** Standing orders on the wire. */
import { z } from "@hono/zod-openapi";
import {
  SCHEDULE_COUNT_MAX,
  SCHEDULE_INTERVALS,
  SCHEDULE_STATUSES,
  scheduleJson,
} from "../../domain/schedules.ts";
import { CounterpartyInputSchema, CounterpartySchema } from "../payments/schemas.ts";
import { AmountSchema, DescriptionSchema, pageOf } from "../schemas.ts";

/** A calendar date, `YYYY-MM-DD`, that exists. */
export const DateSchema = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, "must be a date YYYY-MM-DD")
  .refine(
    (value) => new Date(`${value}T00:00:00Z`).toISOString().startsWith(value),
    "must be a calendar date",
  ).openapi({ example: "2026-01-31" });

/** A standing order: a payment to another bank repeated weekly or monthly. */
export const ScheduleSchema = z.object({
  id: z.uuid(),
  from_account_id: z.uuid(),
  amount: z.string().openapi({ example: "1500.00" }),
  currency: z.string().openapi({ example: "ZAR" }),
  counterparty: CounterpartySchema,
  description: z.string().nullable(),
  interval: z.enum(SCHEDULE_INTERVALS),
  start_date: z.string().openapi({ example: "2026-01-31" }),
  next_run_on: z.string().nullable().openapi({
    description: "The date of the next run (bank time zone); null once ended.",
    example: "2026-02-28",
  }),
  runs_made: z.number().int(),
  count: z.number().int().nullable(),
  end_date: z.string().nullable(),
  status: z.enum(SCHEDULE_STATUSES),
  created_at: z.string(),
}).openapi("Schedule");

/** A page of schedules, newest first. */
export const SchedulePageSchema = pageOf(ScheduleSchema, "SchedulePage");

/** Creating a standing order. */
export const CreateScheduleSchema = z.strictObject({
  from_account_id: z.uuid(),
  amount: AmountSchema,
  counterparty: CounterpartyInputSchema,
  description: DescriptionSchema,
  interval: z.enum(SCHEDULE_INTERVALS),
  start_date: DateSchema.openapi({
    description: "The first run's date, today or later on your sandbox clock (bank time zone). " +
      "A monthly run on a day its month lacks runs on the month's last day.",
  }),
  count: z.number().int().min(1).max(SCHEDULE_COUNT_MAX).optional().openapi({
    description: "Runs to make, then completed.",
  }),
  end_date: DateSchema.optional().openapi({
    description: "No run after this date; completed once the next would fall after it.",
  }),
}).openapi("CreateSchedule");

/** A schedule as JSON. */
export const toScheduleJson = scheduleJson;

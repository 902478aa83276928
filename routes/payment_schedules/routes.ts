/** The routes of standing orders. */
import { createRoute } from "@hono/zod-openapi";
import { requireUser } from "../auth/require_user.ts";
import {
  IdempotencyHeaders,
  IdParams,
  jsonBody,
  jsonResponse,
  PageQuery,
  problems,
} from "../schemas.ts";
import { CreateScheduleSchema, SchedulePageSchema, ScheduleSchema } from "./schemas.ts";

export const create = createRoute({
  method: "post",
  path: "/payment_schedules",
  tags: ["Payment schedules"],
  summary: "Create a standing order",
  description:
    "Each run, on your sandbox clock in its date's clearing run (EFT_SETTLEMENT_TIME), " +
    "is an outbound eft Payment checked like any other; a refused run is a rejected Payment and " +
    "a payment_schedule.run_failed event. Completed after `count` runs or past `end_date`.",
  middleware: [requireUser] as const,
  security: [{ bearerAuth: [] }],
  request: { headers: IdempotencyHeaders, body: jsonBody(CreateScheduleSchema) },
  responses: {
    201: jsonResponse(ScheduleSchema, "The active schedule"),
    400: problems[400],
    401: problems[401],
    404: problems[404],
    409: problems[409],
    503: problems[503],
  },
});
export type CreateRoute = typeof create;

export const list = createRoute({
  method: "get",
  path: "/payment_schedules",
  tags: ["Payment schedules"],
  summary: "Your standing orders, newest first",
  middleware: [requireUser] as const,
  security: [{ bearerAuth: [] }],
  request: { query: PageQuery },
  responses: {
    200: jsonResponse(SchedulePageSchema, "A page of schedules"),
    400: problems[400],
    401: problems[401],
  },
});
export type ListRoute = typeof list;

export const getOne = createRoute({
  method: "get",
  path: "/payment_schedules/{id}",
  tags: ["Payment schedules"],
  summary: "One of your standing orders",
  middleware: [requireUser] as const,
  security: [{ bearerAuth: [] }],
  request: { params: IdParams },
  responses: {
    200: jsonResponse(ScheduleSchema, "The schedule"),
    400: problems[400],
    401: problems[401],
    404: problems[404],
  },
});
export type GetOneRoute = typeof getOne;

export const cancel = createRoute({
  method: "post",
  path: "/payment_schedules/{id}/cancel",
  tags: ["Payment schedules"],
  summary: "Cancel a standing order",
  description: "No run is made after this; 409 schedule_not_active once completed or cancelled.",
  middleware: [requireUser] as const,
  security: [{ bearerAuth: [] }],
  request: { params: IdParams, headers: IdempotencyHeaders },
  responses: {
    200: jsonResponse(ScheduleSchema, "The cancelled schedule"),
    400: problems[400],
    401: problems[401],
    404: problems[404],
    409: problems[409],
    503: problems[503],
  },
});
export type CancelRoute = typeof cancel;

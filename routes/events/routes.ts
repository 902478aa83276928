/** The routes of events. */
import { REDELIVERIES_PER_USER_MAX, REDELIVERY_WINDOW_SECONDS } from "../../domain/abuse_limits.ts";
import { createRoute } from "@hono/zod-openapi";
import { requireUser } from "../auth/require_user.ts";
import { IdParams, jsonResponse, problems } from "../schemas.ts";
import { EventPageSchema, EventQuery, EventSchema, RedeliverySchema } from "./schemas.ts";

export const list = createRoute({
  method: "get",
  path: "/events",
  tags: ["Events"],
  summary: "Your events, newest first",
  middleware: [requireUser] as const,
  security: [{ bearerAuth: [] }],
  request: { query: EventQuery },
  responses: {
    200: jsonResponse(EventPageSchema, "A page of events"),
    400: problems[400],
    401: problems[401],
  },
});
export type ListRoute = typeof list;

export const getOne = createRoute({
  method: "get",
  path: "/events/{id}",
  tags: ["Events"],
  summary: "One event",
  middleware: [requireUser] as const,
  security: [{ bearerAuth: [] }],
  request: { params: IdParams },
  responses: {
    200: jsonResponse(EventSchema, "The event"),
    400: problems[400],
    401: problems[401],
    404: problems[404],
  },
});
export type GetOneRoute = typeof getOne;

export const redeliver = createRoute({
  method: "post",
  path: "/events/{id}/redeliver",
  tags: ["Events"],
  summary: "Queue the event again to every enabled endpoint that takes its type",
  description: `At most ${REDELIVERIES_PER_USER_MAX} redeliveries per user per ` +
    `${REDELIVERY_WINDOW_SECONDS} s; more are a 429 with Retry-After.`,
  middleware: [requireUser] as const,
  security: [{ bearerAuth: [] }],
  request: { params: IdParams },
  responses: {
    202: jsonResponse(RedeliverySchema, "Queued"),
    400: problems[400],
    401: problems[401],
    404: problems[404],
    429: problems[429],
  },
});
export type RedeliverRoute = typeof redeliver;

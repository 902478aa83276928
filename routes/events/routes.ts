/** The routes of events. */
import { REDELIVERIES_PER_USER_MAX, REDELIVERY_WINDOW_SECONDS } from "../../domain/abuse_limits.ts";
import { createRoute, z } from "@hono/zod-openapi";
import { requireUser } from "../auth/require_user.ts";
import { IdParams, jsonResponse, problemResponseDoc, problems } from "../schemas.ts";
import {
  EventPageSchema,
  EventQuery,
  EventSchema,
  RedeliverySchema,
  StreamHeaders,
} from "./schemas.ts";

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

export const stream = createRoute({
  method: "get",
  path: "/events/stream",
  tags: ["Events"],
  summary: "Your events as they are written (Server-Sent Events)",
  description:
    "A `text/event-stream` of your events: each message's `id:` is the event id and its " +
    "`data:` the Event as JSON. Events arrive in the order they became final, each once; " +
    "reconnect with `Last-Event-ID` to get exactly the events after that one. A quiet stream " +
    "sends a `: heartbeat` comment every EVENT_STREAM_HEARTBEAT_SECONDS (15 s); new events are " +
    "looked for every EVENT_STREAM_POLL_MS (500 ms). At most EVENT_STREAMS_PER_USER_MAX (5) " +
    "open streams per user and instance: one more is a 429. API keys need the `read` scope.",
  middleware: [requireUser] as const,
  security: [{ bearerAuth: [] }],
  request: { headers: StreamHeaders },
  responses: {
    200: {
      description: "The stream; it stays open until the client or the server ends it",
      content: {
        "text/event-stream": {
          schema: z.string().openapi({
            example: 'id: 0b6e…\ndata: {"id":"0b6e…","type":"transaction.approved",…}\n\n',
          }),
        },
      },
    },
    400: problems[400],
    401: problems[401],
    403: problemResponseDoc(403, "An API key without the read scope (insufficient_scope)"),
    429: problems[429],
  },
});
export type StreamRoute = typeof stream;

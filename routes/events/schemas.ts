/** Events on the wire. */
import { z } from "@hono/zod-openapi";
import { EVENT_TYPES } from "../../db/events.ts";
import { eventJson } from "../../domain/webhooks.ts";
import { pageOf, PageQuery } from "../schemas.ts";

/** An event: a state change of the bank, as webhooks deliver it. */
export const EventSchema = z.object({
  id: z.uuid().openapi({ description: "Also the webhook-id header of its deliveries." }),
  type: z.enum(EVENT_TYPES).openapi({ example: "transaction.approved" }),
  created_at: z.string().openapi({ example: "2026-11-24T10:00:00.000Z" }),
  data: z.object({
    object: z.record(z.string(), z.unknown()).openapi({
      description: "The object as its own endpoint shows it (Account, Transaction, ...).",
    }),
  }),
}).openapi("Event");

/** A page of events, newest first. */
export const EventPageSchema = pageOf(EventSchema, "EventPage");

/** Filters of the events list. */
export const EventQuery = PageQuery.extend({
  type: z.enum(EVENT_TYPES).optional(),
});

/** The answer to a redelivery request. */
export const RedeliverySchema = z.object({
  event_id: z.uuid(),
  deliveries_queued: z.number().int().openapi({
    example: 1,
    description: "How many enabled endpoints taking this event type it was queued to.",
  }),
}).openapi("Redelivery");

/** The stream's one request header: where a reconnecting client left off. */
export const StreamHeaders = z.object({
  "last-event-id": z.uuid().toLowerCase().optional().openapi({
    description: "Resume after this event (the `id:` of the last message received): every " +
      "later event follows, in order, none twice. An id that names none of your events is a 400.",
  }),
});

/** An event as JSON. */
export const toEventJson = eventJson;

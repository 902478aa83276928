/** Webhook endpoints and deliveries on the wire. */
import { z } from "@hono/zod-openapi";
import { EVENT_TYPES } from "../../db/events.ts";
import type { DeliveryRow } from "../../db/webhook_deliveries.ts";
import type { WebhookEndpointRow } from "../../db/webhook_endpoints.ts";
import { WEBHOOK_URL_CHARS_MAX } from "../../domain/webhook_urls.ts";
import { pageOf } from "../schemas.ts";

const UrlSchema = z.string().trim().min(1).max(WEBHOOK_URL_CHARS_MAX).openapi({
  example: "https://example.com/webhooks/bank",
  description: "http(s), to a global unicast address only: loopback, private, link-local, " +
    "metadata and IPv4-embedding IPv6 addresses (also when a name resolves to one) are refused, " +
    "unless the server runs with WEBHOOK_ALLOW_PRIVATE=true (as `deno task dev` does).",
});
const EventTypesSchema = z.array(z.enum(EVENT_TYPES)).max(EVENT_TYPES.length).openapi({
  example: ["transaction.approved"],
  description: "Event types to receive; empty means all.",
});
const EndpointDescriptionSchema = z.string().max(500).nullish().openapi({ example: "Ledger sync" });

/** A webhook endpoint: where events are POSTed. */
export const WebhookEndpointSchema = z.object({
  id: z.uuid(),
  url: z.string().openapi({ example: "https://example.com/webhooks/bank" }),
  event_types: z.array(z.string()).openapi({ example: [] }),
  description: z.string().nullable().openapi({ example: "Ledger sync" }),
  enabled: z.boolean().openapi({ example: true }),
  created_at: z.string().openapi({ example: "2026-11-24T10:00:00.000Z" }),
}).openapi("WebhookEndpoint");

/** A new endpoint: the only time its signing secret is shown. */
export const CreatedWebhookEndpointSchema = WebhookEndpointSchema.extend({
  secret: z.string().openapi({
    example: "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw",
    description: "The Standard Webhooks signing secret. Shown only in this response.",
  }),
}).openapi("CreatedWebhookEndpoint");

/** Creating an endpoint. */
export const CreateWebhookEndpointSchema = z.strictObject({
  url: UrlSchema,
  event_types: EventTypesSchema.optional(),
  description: EndpointDescriptionSchema,
}).openapi("CreateWebhookEndpoint");

/** Changing an endpoint: only the fields given. */
export const UpdateWebhookEndpointSchema = z.strictObject({
  url: UrlSchema.optional(),
  event_types: EventTypesSchema.optional(),
  description: EndpointDescriptionSchema,
  enabled: z.boolean().optional(),
}).openapi("UpdateWebhookEndpoint");

/** The list of endpoints. */
export const WebhookEndpointListSchema = z.object({ data: z.array(WebhookEndpointSchema) })
  .openapi("WebhookEndpointList");

/** One attempt of a delivery (an addition to the contract's Delivery). */
export const DeliveryAttemptSchema = z.object({
  attempt: z.number().int().openapi({ example: 1 }),
  response_status: z.number().int().nullable().openapi({ example: 500 }),
  error: z.string().nullable().openapi({ example: "HTTP 500" }),
  duration_ms: z.number().int().openapi({ example: 12 }),
  attempted_at: z.string().openapi({ example: "2026-11-24T10:00:00.000Z" }),
}).openapi("DeliveryAttempt");

/** A delivery of one event to one endpoint; its fields describe the latest attempt. */
export const DeliverySchema = z.object({
  id: z.uuid(),
  event_id: z.uuid(),
  event_type: z.string().openapi({ example: "transaction.approved" }),
  attempt: z.number().int().openapi({ example: 1, description: "Attempts made so far." }),
  status: z.enum(["pending", "succeeded", "failed"]),
  response_status: z.number().int().nullable().openapi({ example: 200 }),
  error: z.string().nullable().openapi({ example: null }),
  duration_ms: z.number().int().nullable().openapi({ example: 12 }),
  created_at: z.string().openapi({ example: "2026-11-24T10:00:00.000Z" }),
  next_attempt_at: z.string().nullable().openapi({ example: null }),
  attempts: z.array(DeliveryAttemptSchema).openapi({ description: "Every attempt, oldest first." }),
}).openapi("Delivery");

/** A page of deliveries, newest first. */
export const DeliveryPageSchema = pageOf(DeliverySchema, "DeliveryPage");

/** An endpoint as JSON (without its secret). */
export function toWebhookEndpointJson(row: WebhookEndpointRow) {
  return {
    id: row.id,
    url: row.url,
    event_types: row.eventTypes,
    description: row.description,
    enabled: row.enabled,
    created_at: row.createdAt.toISOString(),
  };
}

/** A delivery as JSON. */
export function toDeliveryJson(row: DeliveryRow) {
  return {
    id: row.id,
    event_id: row.eventId,
    event_type: row.eventType,
    attempt: row.attempts,
    status: row.status,
    response_status: row.responseStatus,
    error: row.error,
    duration_ms: row.durationMs,
    created_at: row.createdAt.toISOString(),
    next_attempt_at: row.nextAttemptAt?.toISOString() ?? null,
    attempts: row.attemptLog.map((attempt) => ({
      attempt: attempt.attempt,
      response_status: attempt.responseStatus,
      error: attempt.error,
      duration_ms: attempt.durationMs,
      attempted_at: attempt.attemptedAt.toISOString(),
    })),
  };
}

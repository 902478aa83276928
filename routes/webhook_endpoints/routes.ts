/** The routes of webhook endpoints and their delivery logs. */
import { createRoute } from "@hono/zod-openapi";
import { requireUser } from "../auth/require_user.ts";
import { IdParams, jsonBody, jsonResponse, PageQuery, problems } from "../schemas.ts";
import {
  CreatedWebhookEndpointSchema,
  CreateWebhookEndpointSchema,
  DeliveryPageSchema,
  UpdateWebhookEndpointSchema,
  WebhookEndpointListSchema,
  WebhookEndpointSchema,
} from "./schemas.ts";

export const create = createRoute({
  tags: ["Webhooks"],
  middleware: [requireUser] as const,
  security: [{ bearerAuth: [] }],
  method: "post",
  path: "/webhook_endpoints",
  summary: "Register a webhook endpoint (its signing secret is shown only in this response)",
  request: { body: jsonBody(CreateWebhookEndpointSchema) },
  responses: {
    201: jsonResponse(CreatedWebhookEndpointSchema, "The new endpoint, with its secret"),
    400: problems[400],
    401: problems[401],
    422: problems[422],
  },
});
export type CreateRoute = typeof create;

export const list = createRoute({
  tags: ["Webhooks"],
  middleware: [requireUser] as const,
  security: [{ bearerAuth: [] }],
  method: "get",
  path: "/webhook_endpoints",
  summary: "Your webhook endpoints",
  responses: {
    200: jsonResponse(WebhookEndpointListSchema, "Yours"),
    401: problems[401],
  },
});
export type ListRoute = typeof list;

export const getOne = createRoute({
  tags: ["Webhooks"],
  middleware: [requireUser] as const,
  security: [{ bearerAuth: [] }],
  method: "get",
  path: "/webhook_endpoints/{id}",
  summary: "One webhook endpoint",
  request: { params: IdParams },
  responses: {
    200: jsonResponse(WebhookEndpointSchema, "The endpoint"),
    400: problems[400],
    401: problems[401],
    404: problems[404],
  },
});
export type GetOneRoute = typeof getOne;

export const update = createRoute({
  tags: ["Webhooks"],
  middleware: [requireUser] as const,
  security: [{ bearerAuth: [] }],
  method: "patch",
  path: "/webhook_endpoints/{id}",
  summary: "Change a webhook endpoint (url, event types, description, enabled)",
  request: { params: IdParams, body: jsonBody(UpdateWebhookEndpointSchema) },
  responses: {
    200: jsonResponse(WebhookEndpointSchema, "The endpoint as changed"),
    400: problems[400],
    401: problems[401],
    404: problems[404],
  },
});
export type UpdateRoute = typeof update;

export const remove = createRoute({
  tags: ["Webhooks"],
  middleware: [requireUser] as const,
  security: [{ bearerAuth: [] }],
  method: "delete",
  path: "/webhook_endpoints/{id}",
  summary: "Delete a webhook endpoint and its delivery log",
  request: { params: IdParams },
  responses: {
    204: { description: "Deleted" },
    400: problems[400],
    401: problems[401],
    404: problems[404],
  },
});
export type RemoveRoute = typeof remove;

export const deliveries = createRoute({
  tags: ["Webhooks"],
  middleware: [requireUser] as const,
  security: [{ bearerAuth: [] }],
  method: "get",
  path: "/webhook_endpoints/{id}/deliveries",
  summary: "The endpoint's delivery log, newest first, with every attempt",
  request: { params: IdParams, query: PageQuery },
  responses: {
    200: jsonResponse(DeliveryPageSchema, "A page of deliveries"),
    400: problems[400],
    401: problems[401],
    404: problems[404],
  },
});
export type DeliveriesRoute = typeof deliveries;

/** The routes of API keys. */
import { createRoute, z } from "@hono/zod-openapi";
import { requireUser } from "../auth/require_user.ts";
import { IdParams, jsonBody, jsonResponse, problems } from "../schemas.ts";
import { ApiKeySchema, CreateApiKeySchema, CreatedApiKeySchema } from "./schemas.ts";

export const create = createRoute({
  method: "post",
  path: "/api_keys",
  tags: ["API keys"],
  summary: "Create an API key (its secret is shown only in this response)",
  middleware: [requireUser] as const,
  security: [{ bearerAuth: [] }],
  request: { body: jsonBody(CreateApiKeySchema) },
  responses: {
    201: jsonResponse(CreatedApiKeySchema, "The new key, with its secret"),
    400: problems[400],
    401: problems[401],
    422: problems[422],
  },
});
export type CreateRoute = typeof create;

export const list = createRoute({
  method: "get",
  path: "/api_keys",
  tags: ["API keys"],
  summary: "Your active API keys (never the secrets)",
  middleware: [requireUser] as const,
  security: [{ bearerAuth: [] }],
  responses: {
    200: jsonResponse(z.object({ data: z.array(ApiKeySchema) }).openapi("ApiKeyList"), "Yours"),
    401: problems[401],
  },
});
export type ListRoute = typeof list;

export const revoke = createRoute({
  method: "delete",
  path: "/api_keys/{id}",
  tags: ["API keys"],
  summary: "Revoke an API key; it stops working at once, on every instance",
  middleware: [requireUser] as const,
  security: [{ bearerAuth: [] }],
  request: { params: IdParams },
  responses: {
    204: { description: "Revoked" },
    400: problems[400],
    401: problems[401],
    404: problems[404],
  },
});
export type RevokeRoute = typeof revoke;

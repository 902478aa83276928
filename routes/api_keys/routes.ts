/** The routes of API keys. */
import { createRoute, z } from "@hono/zod-openapi";
import { requireUser } from "../auth/require_user.ts";
import { IdParams, jsonBody, jsonResponse, problemResponseDoc, problems } from "../schemas.ts";

// Every operation here needs an access token or an admin key.
const notAdmin = problemResponseDoc(403, "An API key without the admin scope (insufficient_scope)");
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
    403: problemResponseDoc(
      403,
      "An API key without the admin scope, or asking for more than its own scopes or life",
    ),
    422: problems[422],
  },
});
export type CreateRoute = typeof create;

export const list = createRoute({
  method: "get",
  path: "/api_keys",
  tags: ["API keys"],
  summary: "Your active API keys: not revoked, not expired (never the secrets)",
  middleware: [requireUser] as const,
  security: [{ bearerAuth: [] }],
  responses: {
    200: jsonResponse(z.object({ data: z.array(ApiKeySchema) }).openapi("ApiKeyList"), "Yours"),
    401: problems[401],
    403: notAdmin,
  },
});
export type ListRoute = typeof list;

export const revoke = createRoute({
  method: "delete",
  path: "/api_keys/{id}",
  tags: ["API keys"],
  summary: "Revoke an API key; it, and every key it made, stops working at once everywhere",
  middleware: [requireUser] as const,
  security: [{ bearerAuth: [] }],
  request: { params: IdParams },
  responses: {
    204: { description: "Revoked" },
    400: problems[400],
    401: problems[401],
    403: notAdmin,
    404: problems[404],
  },
});
export type RevokeRoute = typeof revoke;

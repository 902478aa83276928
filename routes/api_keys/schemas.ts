/** API keys on the wire. */
import { z } from "@hono/zod-openapi";
import type { ApiKeyRow } from "../../db/api_keys.ts";
import { API_KEY_SCOPES, DEFAULT_API_KEY_SCOPES } from "../../domain/api_keys.ts";

const ScopesSchema = z.array(z.enum(API_KEY_SCOPES)).openapi({
  example: ["read", "money"],
  description: "`read`: GETs. `money`: read, plus every money movement and simulation (every " +
    "call that is not a GET, except keys and webhook endpoints). `admin`: everything, including " +
    "/api_keys and /webhook_endpoints. A key answers 403 `insufficient_scope` outside its scopes.",
});

/** An API key as listed: never the key itself. */
export const ApiKeySchema = z.object({
  id: z.uuid(),
  name: z.string().openapi({ example: "Billing server" }),
  key_prefix: z.string().openapi({ example: "sk_test_Xy3kQ9" }),
  scopes: ScopesSchema,
  expires_at: z.string().nullable().openapi({
    example: null,
    description: "When the key stops working (401 after it); null: until revoked.",
  }),
  created_at: z.string().openapi({ example: "2026-11-24T10:00:00.000Z" }),
  last_used_at: z.string().nullable().openapi({
    example: null,
    description: "Refreshed at most once a minute.",
  }),
}).openapi("ApiKey");

/** A new API key: the only time `key` is shown. */
export const CreatedApiKeySchema = ApiKeySchema.extend({
  key: z.string().openapi({
    example: "sk_test_Xy3kQ9f0T1uVb2wC3xD4yE5zF6aG7bH8cI9dJ0eK1fL",
    description: "The secret. Shown only in this response; store it now.",
  }),
}).openapi("CreatedApiKey");

/** Creating a key. */
export const CreateApiKeySchema = z.strictObject({
  name: z.string().trim().min(1).max(100).openapi({ example: "Billing server" }),
  scopes: z.array(z.enum(API_KEY_SCOPES)).min(1).max(API_KEY_SCOPES.length)
    .refine((scopes) => new Set(scopes).size === scopes.length, "must not repeat a scope")
    .optional().openapi({
      example: [...DEFAULT_API_KEY_SCOPES],
      description: `Default ${JSON.stringify(DEFAULT_API_KEY_SCOPES)}. A key making a key ` +
        "cannot grant a scope it lacks (403 `insufficient_scope`).",
    }),
  expires_at: z.iso.datetime({ offset: true }).optional().openapi({
    example: "2027-01-31T00:00:00Z",
    description: "RFC 3339, in the future. Default: no expiry; for a key made by an expiring " +
      "key, that key's expiry, which it may not pass (403).",
  }),
}).openapi("CreateApiKey");

/** An API key as JSON. */
export function toApiKeyJson(row: ApiKeyRow) {
  return {
    id: row.id,
    name: row.name,
    key_prefix: row.keyPrefix,
    scopes: row.scopes,
    expires_at: row.expiresAt?.toISOString() ?? null,
    created_at: row.createdAt.toISOString(),
    last_used_at: row.lastUsedAt?.toISOString() ?? null,
  };
}

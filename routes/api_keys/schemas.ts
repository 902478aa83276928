/** API keys on the wire. */
import { z } from "@hono/zod-openapi";
import type { ApiKeyRow } from "../../db/api_keys.ts";

/** An API key as listed: never the key itself. */
export const ApiKeySchema = z.object({
  id: z.uuid(),
  name: z.string().openapi({ example: "Billing server" }),
  key_prefix: z.string().openapi({ example: "sk_test_Xy3kQ9" }),
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
}).openapi("CreateApiKey");

/** An API key as JSON. */
export function toApiKeyJson(row: ApiKeyRow) {
  return {
    id: row.id,
    name: row.name,
    key_prefix: row.keyPrefix,
    created_at: row.createdAt.toISOString(),
    last_used_at: row.lastUsedAt?.toISOString() ?? null,
  };
}

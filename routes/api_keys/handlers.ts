/** Handlers for API keys. */
import {
  API_KEYS_PER_USER_MAX,
  insertApiKey,
  listApiKeys,
  revokeApiKey,
} from "../../db/api_keys.ts";
import { generateApiKey } from "../../domain/api_keys.ts";
import { NotFoundError, RefusedError } from "../../domain/errors.ts";
import type { AppRouteHandler } from "../app_env.ts";
import type { CreateRoute, ListRoute, RevokeRoute } from "./routes.ts";
import { toApiKeyJson } from "./schemas.ts";

export const create: AppRouteHandler<CreateRoute> = async (c) => {
  const { deps, userId } = c.var;
  const { name } = c.req.valid("json");
  const generated = await generateApiKey();
  const row = await insertApiKey(deps.sql, {
    userId,
    name,
    keyPrefix: generated.keyPrefix,
    keyHash: generated.keyHash,
    now: deps.clock(),
  });
  if (!row) {
    throw new RefusedError(
      "api_key_limit",
      `Cannot create an API key: you already have ${API_KEYS_PER_USER_MAX}; revoke one first`,
      undefined,
      "api_key_limit",
    );
  }
  deps.log("info", "api_key_created", { user_id: userId, api_key_id: row.id });
  return c.json({ ...toApiKeyJson(row), key: generated.key }, 201);
};

export const list: AppRouteHandler<ListRoute> = async (c) => {
  const rows = await listApiKeys(c.var.deps.sql, c.var.userId);
  return c.json({ data: rows.map(toApiKeyJson) }, 200);
};

export const revoke: AppRouteHandler<RevokeRoute> = async (c) => {
  const { deps, userId } = c.var;
  const { id } = c.req.valid("param");
  if (!await revokeApiKey(deps.sql, userId, id, deps.clock())) throw new NotFoundError("API key");
  deps.log("info", "api_key_revoked", { user_id: userId, api_key_id: id });
  return c.body(null, 204);
};

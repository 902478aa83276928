/** Handlers for API keys. */
import {
  API_KEYS_PER_USER_MAX,
  insertApiKey,
  listApiKeys,
  revokeApiKey,
} from "../../db/api_keys.ts";
import { generateApiKey, grantKey } from "../../domain/api_keys.ts";
import {
  InsufficientScopeError,
  InvalidInputError,
  NotFoundError,
  RefusedError,
} from "../../domain/errors.ts";
import type { AppRouteHandler } from "../app_env.ts";
import type { CreateRoute, ListRoute, RevokeRoute } from "./routes.ts";
import { toApiKeyJson } from "./schemas.ts";

export const create: AppRouteHandler<CreateRoute> = async (c) => {
  const { deps, userId, credential } = c.var;
  const input = c.req.valid("json");
  const now = deps.clock();
  const expiresAt = input.expires_at === undefined ? undefined : new Date(input.expires_at);
  if (expiresAt && expiresAt <= now) {
    throw new InvalidInputError("expires_at", "must be in the future");
  }
  const maker = credential.kind === "api_key" ? credential.key : undefined;
  const grant = grantKey(maker, { scopes: input.scopes, expiresAt });
  if (!grant.ok) {
    throw new InsufficientScopeError("admin", `Cannot create an API key: ${grant.reason}`);
  }
  const generated = await generateApiKey();
  const row = await insertApiKey(deps.sql, {
    userId,
    name: input.name,
    keyPrefix: generated.keyPrefix,
    keyHash: generated.keyHash,
    scopes: grant.scopes,
    expiresAt: grant.expiresAt,
    // Revoking any key above this one stops it too: what a leaked key made is contained with it.
    ancestorKeyIds: maker ? [...maker.ancestorKeyIds, maker.id] : [],
    now,
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
  const rows = await listApiKeys(c.var.deps.sql, c.var.userId, c.var.deps.clock());
  return c.json({ data: rows.map(toApiKeyJson) }, 200);
};

export const revoke: AppRouteHandler<RevokeRoute> = async (c) => {
  const { deps, userId } = c.var;
  const { id } = c.req.valid("param");
  if (!await revokeApiKey(deps.sql, userId, id, deps.clock())) throw new NotFoundError("API key");
  deps.log("info", "api_key_revoked", { user_id: userId, api_key_id: id });
  return c.body(null, 204);
};

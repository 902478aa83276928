/** The middleware that guards every account and money route with a bearer credential. */
import { createMiddleware } from "hono/factory";
import { authenticateApiKey } from "../../db/api_keys.ts";
import { hashApiKey, looksLikeApiKey } from "../../domain/api_keys.ts";
import { UnauthorizedError } from "../../domain/errors.ts";
import type { AppEnv } from "../app_env.ts";
import { verifyAccessToken } from "./tokens.ts";

// The scheme is case-insensitive (RFC 9110 §11.1): login answers token_type "bearer".
const BEARER = /^Bearer ([A-Za-z0-9._~+/=-]{1,4096})$/i;

/** Sets `userId` from `Authorization: Bearer <access token | sk_test_ API key>`, or answers 401. */
export const requireUser = createMiddleware<AppEnv>(async function requireUser(c, next) {
  const match = BEARER.exec(c.req.header("authorization") ?? "");
  if (!match) throw new UnauthorizedError();
  const { deps } = c.var;
  if (looksLikeApiKey(match[1])) {
    const userId = await authenticateApiKey(deps.sql, await hashApiKey(match[1]), deps.clock());
    if (!userId) throw new UnauthorizedError("The API key is invalid or revoked");
    c.set("userId", userId);
  } else {
    c.set("userId", await verifyAccessToken(match[1], deps.config.jwtSecret));
  }
  await next();
});

/** The middleware that guards every account and money route with a bearer credential. */
import { createMiddleware } from "hono/factory";
import { authenticateApiKey } from "../../db/api_keys.ts";
import { findLiveSessionUser } from "../../db/sessions.ts";
import { hashApiKey, looksLikeApiKey, requiredScope, scopesCover } from "../../domain/api_keys.ts";
import { InsufficientScopeError, UnauthorizedError } from "../../domain/errors.ts";
import type { AppDeps, AppEnv } from "../app_env.ts";
import { type AccessClaims, verifyAccessToken } from "./tokens.ts";

// The scheme is case-insensitive (RFC 9110 §11.1): login answers token_type "bearer".
const BEARER = /^Bearer ([A-Za-z0-9._~+/=-]{1,4096})$/i;

/**
 * The claims of an access token that still counts, with its user's name: validly signed and
 * unexpired (tokens.ts), and, asked of the database every time, for a user that exists, issued
 * since the last password change, in a session not signed out. Anything else is a 401.
 */
export async function authenticateAccessToken(
  deps: AppDeps,
  token: string,
): Promise<{ claims: AccessClaims; userName: string }> {
  const claims = await verifyAccessToken(token, {
    secret: deps.config.jwtSecret,
    now: deps.clock(),
  });
  const user = await findLiveSessionUser(deps.sql, {
    userId: claims.sub,
    sessionId: claims.sid,
    generation: claims.gen,
  });
  if (!user) throw new UnauthorizedError("The bearer token is revoked or names no user");
  return { claims, userName: user.name };
}

/**
 * Sets `userId` and `credential` from `Authorization: Bearer <access token | sk_test_ API key>`,
 * or answers 401; an API key whose scopes do not cover the request answers 403.
 */
export const requireUser = createMiddleware<AppEnv>(async function requireUser(c, next) {
  const match = BEARER.exec(c.req.header("authorization") ?? "");
  if (!match) throw new UnauthorizedError();
  const { deps } = c.var;
  if (looksLikeApiKey(match[1])) {
    const key = await authenticateApiKey(deps.sql, await hashApiKey(match[1]), deps.clock());
    if (!key) throw new UnauthorizedError("The API key is invalid, revoked or expired");
    const needed = requiredScope(c.req.method, c.req.path);
    if (!scopesCover(key.scopes, needed)) {
      throw new InsufficientScopeError(
        needed,
        `This API key's scopes (${key.scopes.join(", ")}) do not cover ${c.req.method} ` +
          `${c.req.path}: it needs ${needed}`,
      );
    }
    c.set("userId", key.userId);
    c.set("credential", { kind: "api_key", key });
  } else {
    const { claims } = await authenticateAccessToken(deps, match[1]);
    c.set("userId", claims.sub);
    c.set("credential", { kind: "access_token", claims });
  }
  await next();
});

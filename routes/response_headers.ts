/** Headers every API answer gets, whichever route (or error handler) made it. */
import { createMiddleware } from "hono/factory";
import type { AppEnv } from "./app_env.ts";
import { BEARER_REALM } from "./problem.ts";

const JSON_TYPE = /^application\/([\w.-]+\+)?json\b/i;

/**
 * `Cache-Control: no-store` on every JSON answer (they carry balances, tokens and keys; no browser
 * or proxy may keep them), and the `WWW-Authenticate: Bearer` challenge RFC 9110 requires on every
 * 401, naming `invalid_token` when a credential was sent (RFC 6750 §3.1).
 */
export const apiResponseHeaders = createMiddleware<AppEnv>(async function apiResponseHeaders(
  c,
  next,
) {
  await next();
  const headers = c.res.headers;
  if (c.res.status === 401 && !headers.has("www-authenticate")) {
    const sent = c.req.header("authorization") !== undefined;
    headers.set(
      "www-authenticate",
      `Bearer ${BEARER_REALM}${sent ? ', error="invalid_token"' : ""}`,
    );
  }
  if (JSON_TYPE.test(headers.get("content-type") ?? "") && !headers.has("cache-control")) {
    headers.set("cache-control", "no-store");
  }
});

/**
 * Browser sessions: the API's own access token, kept in an HttpOnly, SameSite=Lax cookie (Secure
 * on https) that lives exactly as long as the token. The JSON API never reads this cookie: it
 * takes bearer credentials only, so cookies cannot be used to drive it from another site.
 */
import type { Context } from "hono";
import { deleteCookie, getCookie, setCookie } from "hono/cookie";
import { createMiddleware } from "hono/factory";
import { findUser } from "../../db/users.ts";
import { issueAccessToken, verifyAccessToken } from "../auth/tokens.ts";
import { isHttps, PAGES_PATH } from "./cookies.ts";
import { rotateCsrfNonce } from "./csrf.ts";
import type { PageEnv } from "./page_env.ts";

/** The session cookie's name. */
export const SESSION_COOKIE = "bank_session";

/** Signs the user in: a fresh token in the session cookie, and a fresh CSRF nonce. */
export async function startSession(c: Context<PageEnv>, userId: string): Promise<void> {
  const { config, clock } = c.var.deps;
  const token = await issueAccessToken(userId, {
    secret: config.jwtSecret,
    ttlSeconds: config.accessTokenTtlSeconds,
    now: clock(),
  });
  setCookie(c, SESSION_COOKIE, token, {
    httpOnly: true,
    sameSite: "Lax",
    secure: isHttps(c),
    path: PAGES_PATH,
    maxAge: config.accessTokenTtlSeconds,
  });
  rotateCsrfNonce(c);
}

/** Signs the user out: the session cookie is cleared and the CSRF nonce replaced. */
export function endSession(c: Context<PageEnv>): void {
  deleteCookie(c, SESSION_COOKIE, {
    httpOnly: true,
    sameSite: "Lax",
    secure: isHttps(c),
    path: PAGES_PATH,
  });
  rotateCsrfNonce(c);
}

/** Reads the session cookie into `sessionUserId`; an expired or forged token is dropped. */
export const loadSession = createMiddleware<PageEnv>(async function loadSession(c, next) {
  c.set("sessionUserId", undefined);
  c.set("sessionExpired", false);
  const token = getCookie(c, SESSION_COOKIE);
  if (token) {
    try {
      c.set("sessionUserId", await verifyAccessToken(token, c.var.deps.config.jwtSecret));
    } catch {
      c.set("sessionExpired", true);
      deleteCookie(c, SESSION_COOKIE, { path: PAGES_PATH, secure: isHttps(c) });
    }
  }
  await next();
});

/** True for requests htmx made (they want a fragment, not a page). */
export function isHtmx(c: Context): boolean {
  return c.req.header("hx-request") === "true";
}

/**
 * Lets signed-in users through (setting `userId` and `userName`); sends everyone else to the
 * sign-in page, remembering where they were going when that was a page they had asked for.
 */
export const requireSession = createMiddleware<PageEnv>(async function requireSession(c, next) {
  const userId = c.var.sessionUserId;
  const user = userId ? await findUser(c.var.deps.sql, userId) : undefined;
  if (!user) {
    const params = new URLSearchParams();
    if (c.req.method === "GET" && !isHtmx(c)) {
      const url = new URL(c.req.url);
      params.set("next", url.pathname + url.search);
    }
    if (c.var.sessionExpired) params.set("expired", "1");
    const location = `${PAGES_PATH}/sign-in${params.size ? `?${params}` : ""}`;
    if (isHtmx(c)) {
      c.header("HX-Redirect", location);
      return c.body(null, 200);
    }
    return c.redirect(location, 303);
  }
  c.set("userId", user.id);
  c.set("userName", user.name);
  await next();
});

/** A safe place to go after signing in: a path under /app, never another site. */
export function safeNextPath(next: string | undefined): string {
  const unsafe = !next || !/^\/app(\/[A-Za-z0-9/_?=&%.-]*)?$/.test(next) || next.includes("//") ||
    next.includes("..");
  if (unsafe) {
    return PAGES_PATH;
  }
  return next;
}

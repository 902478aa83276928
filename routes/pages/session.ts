/**
 * Browser sessions: the API's own access token, kept in an HttpOnly, SameSite=Lax cookie (Secure
 * in production and on https) that lives exactly as long as the token. The session slides: a
 * request more than a minute after its token was issued gets a fresh one, expiring
 * SESSION_IDLE_SECONDS (900) later but never past SESSION_MAX_SECONDS (28800) after sign-in. Every
 * token of one session shares its `sid`, so signing out revokes them all, on every instance. The
 * JSON API never reads this cookie: it takes bearer credentials only, so cookies cannot be used to
 * drive it from another site.
 */
import type { Context } from "hono";
import { deleteCookie, getCookie, setCookie } from "hono/cookie";
import { createMiddleware } from "hono/factory";
import { shouldSlide, slidingExpiry } from "../../domain/sessions.ts";
import { authenticateAccessToken } from "../auth/require_user.ts";
import { endAccessSession } from "../auth/sessions.ts";
import { type AccessClaims, signAccessToken } from "../auth/tokens.ts";
import { PAGES_PATH, secureCookies } from "./cookies.ts";
import { rotateCsrfNonce } from "./csrf.ts";
import { isLivePoll } from "./live.ts";
import type { PageEnv } from "./page_env.ts";

/** The session cookie's name. */
export const SESSION_COOKIE = "bank_session";

/**
 * A marker that a session was started in this browser, kept until the session's absolute cap:
 * the browser drops the session cookie itself when its token expires, and this is how the next
 * request still knows to say "Your session expired" rather than nothing. It holds no secret.
 */
export const SESSION_MARKER_COOKIE = "bank_signed_in";

/** Posts that need no session: signing in, registering, signing out. */
const SESSIONLESS_POSTS = new Set(
  ["/sign-in", "/register", "/sign-out"].map((path) => `${PAGES_PATH}${path}`),
);

/** Signs the user in: a fresh session's token in the cookie, and a fresh CSRF nonce. */
export async function startSession(
  c: Context<PageEnv>,
  user: { id: string; tokenGeneration: number },
): Promise<void> {
  const nowSeconds = Math.floor(c.var.deps.clock().getTime() / 1000);
  await writeSessionCookie(c, {
    sub: user.id,
    sid: crypto.randomUUID(),
    gen: user.tokenGeneration,
    auth_time: nowSeconds,
    iat: nowSeconds,
    exp: slidingExpiry(nowSeconds, nowSeconds, c.var.deps.config.session),
  }, nowSeconds);
  setCookie(c, SESSION_MARKER_COOKIE, "1", {
    httpOnly: true,
    sameSite: "Lax",
    secure: secureCookies(c),
    path: PAGES_PATH,
    maxAge: c.var.deps.config.session.maxSeconds,
  });
  rotateCsrfNonce(c);
}

/** Signs the user out: the session is revoked, its cookie cleared and the CSRF nonce replaced. */
export async function endSession(c: Context<PageEnv>): Promise<void> {
  const claims = c.var.sessionClaims;
  if (claims) await endAccessSession(c.var.deps, claims);
  deleteCookie(c, SESSION_COOKIE, {
    httpOnly: true,
    sameSite: "Lax",
    secure: secureCookies(c),
    path: PAGES_PATH,
  });
  deleteCookie(c, SESSION_MARKER_COOKIE, { path: PAGES_PATH, secure: secureCookies(c) });
  rotateCsrfNonce(c);
}

/**
 * Reads the session cookie into `sessionUserId` (and its claims and user name) when its token
 * still counts, sliding it on; an expired, revoked or forged token is dropped.
 */
export const loadSession = createMiddleware<PageEnv>(async function loadSession(c, next) {
  c.set("sessionUserId", undefined);
  c.set("sessionClaims", undefined);
  c.set("sessionExpired", false);
  const token = getCookie(c, SESSION_COOKIE);
  if (token) {
    let session: Awaited<ReturnType<typeof authenticateAccessToken>> | undefined;
    try {
      session = await authenticateAccessToken(c.var.deps, token);
    } catch {
      c.set("sessionExpired", true);
      deleteCookie(c, SESSION_COOKIE, { path: PAGES_PATH, secure: secureCookies(c) });
    }
    if (session) {
      c.set("sessionUserId", session.claims.sub);
      c.set("sessionClaims", session.claims);
      c.set("sessionUserName", session.userName);
      // A live region's background poll is not the user's activity: it leaves the expiry alone.
      if (!isLivePoll(c.req.path)) await slideSession(c, session.claims);
    }
  } else if (getCookie(c, SESSION_MARKER_COOKIE)) {
    // The browser dropped the expired session cookie; the marker says there was one.
    c.set("sessionExpired", true);
    deleteCookie(c, SESSION_MARKER_COOKIE, { path: PAGES_PATH, secure: secureCookies(c) });
  }
  await next();
});

// Activity moves the session's expiry on, up to its cap: a fresh token of the same session.
async function slideSession(c: Context<PageEnv>, claims: AccessClaims): Promise<void> {
  const { config, clock } = c.var.deps;
  const nowSeconds = Math.floor(clock().getTime() / 1000);
  const limits = { ...config.session, authTimeSeconds: claims.auth_time };
  if (!shouldSlide(claims, nowSeconds, limits)) return;
  const exp = slidingExpiry(nowSeconds, claims.auth_time, config.session);
  const slid = { ...claims, iat: nowSeconds, exp };
  await writeSessionCookie(c, slid, nowSeconds);
  c.set("sessionClaims", slid);
}

async function writeSessionCookie(c: Context<PageEnv>, claims: AccessClaims, nowSeconds: number) {
  const token = await signAccessToken(claims, c.var.deps.config.jwtSecret);
  setCookie(c, SESSION_COOKIE, token, {
    httpOnly: true,
    sameSite: "Lax",
    secure: secureCookies(c),
    path: PAGES_PATH,
    maxAge: claims.exp - nowSeconds,
  });
}

/** True for requests htmx made (they want a fragment, not a page). */
export function isHtmx(c: Context): boolean {
  return c.req.header("hx-request") === "true";
}

/**
 * Lets signed-in users through (setting `userId` and `userName`); sends everyone else to the
 * sign-in page, remembering where they were going when that was a page they had asked for.
 */
export const requireSession = createMiddleware<PageEnv>(async function requireSession(c, next) {
  // loadSession's check found the user, in the same query that found the session live.
  const userId = c.var.sessionUserId;
  if (!userId) return toSignIn(c);
  c.set("userId", userId);
  c.set("userName", c.var.sessionUserName);
  await next();
});

/**
 * Runs before the CSRF check: a form posted after its session ended is sent to sign in ("Your
 * session expired", and back to the page it was posted from), not refused as a forged form.
 */
export const sessionBeforeCsrf = createMiddleware<PageEnv>(async function sessionFirst(c, next) {
  const unsafe = !["GET", "HEAD", "OPTIONS"].includes(c.req.method);
  if (unsafe && !c.var.sessionUserId && !SESSIONLESS_POSTS.has(c.req.path)) {
    // Any session-only form was rendered for a session; without one now, it has ended.
    c.set("sessionExpired", true);
    return toSignIn(c);
  }
  await next();
});

// Sign-in, then back here: a GET's own address; an htmx request's or a post's page.
function toSignIn(c: Context<PageEnv>): Response {
  const params = new URLSearchParams();
  const back = returnPath(c);
  if (back) params.set("next", back);
  if (c.var.sessionExpired) params.set("expired", "1");
  const location = `${PAGES_PATH}/sign-in${params.size ? `?${params}` : ""}`;
  if (isHtmx(c)) {
    c.header("HX-Redirect", location);
    return c.body(null, 200);
  }
  return c.redirect(location, 303);
}

function returnPath(c: Context<PageEnv>): string | undefined {
  const own = new URL(c.req.url);
  if (c.req.method === "GET" && !isHtmx(c)) return own.pathname + own.search;
  const page = isHtmx(c) ? c.req.header("hx-current-url") : c.req.header("referer");
  if (!page || !URL.canParse(page)) return undefined;
  const url = new URL(page);
  if (url.origin !== own.origin) return undefined;
  const path = url.pathname + url.search;
  return safeNextPath(path) === path ? path : undefined;
}

/** A safe place to go after signing in: a path under /app, never another site. */
export function safeNextPath(next: string | undefined): string {
  const unsafe = !next || !/^\/app(\/[A-Za-z0-9/_?=&%.-]*)?$/.test(next) || next.includes("//") ||
    next.includes("..");
  if (unsafe) {
    return PAGES_PATH;
  }
  return next;
}

/**
 * CSRF protection for the pages, two layers deep. hono/csrf refuses cross-origin form posts by
 * their Origin and Sec-Fetch-Site headers; behind it, every state-changing form carries a signed
 * double-submit token: an HMAC, under the app's secret, of a random nonce held in an HttpOnly
 * cookie and of the signed-in user's id. A site that can plant cookies still cannot make the
 * token without the secret, and a token from one user's session fails in another's.
 */
import type { Context } from "hono";
import { getCookie, setCookie } from "hono/cookie";
import { createMiddleware } from "hono/factory";
import { BankError } from "../../domain/errors.ts";
import { PAGES_PATH, secureCookies } from "./cookies.ts";
import type { PageEnv } from "./page_env.ts";

/** The cookie holding the nonce. */
export const CSRF_COOKIE = "bank_csrf";

/** The form field (or X-CSRF-Token header) carrying the token. */
export const CSRF_FIELD = "_csrf";

const NONCE_BYTES = 32;
const NONCE_PATTERN = /^[A-Za-z0-9_-]{43}$/;
const TOKEN_PATTERN = /^[A-Za-z0-9_-]{43}$/;
const SAFE_METHODS = new Set(["GET", "HEAD", "OPTIONS"]);

/** A form without a valid token: answered 403 csrf_failed. */
export class CsrfError extends BankError {
  constructor() {
    super(
      "csrf_failed",
      "This form has expired or did not come from this site. Reload the page and try again.",
    );
    this.name = "CsrfError";
  }
}

/**
 * Replaces the nonce (at sign-in and sign-out) so no token from before still works. The caller
 * redirects: the next page renders its forms with tokens for the new nonce.
 */
export function rotateCsrfNonce(c: Context<PageEnv>): void {
  writeNonce(c, newNonce());
}

/**
 * Makes sure the browser has a nonce, checks the token of every state-changing request, and
 * sets `csrfToken` for the forms the page will render.
 */
export const csrfTokens = createMiddleware<PageEnv>(async function csrfTokens(c, next) {
  const secret = c.var.deps.config.jwtSecret;
  const sent = getCookie(c, CSRF_COOKIE);
  const nonce = sent && NONCE_PATTERN.test(sent) ? sent : undefined;
  if (!SAFE_METHODS.has(c.req.method)) {
    const token = await submittedToken(c);
    const user = c.var.sessionUserId ?? "";
    if (!nonce || !token || !(await tokenMatches(secret, nonce, user, token))) {
      throw new CsrfError();
    }
  }
  const current = nonce ?? newNonce();
  if (!nonce) writeNonce(c, current);
  c.set("csrfToken", await tokenFor(secret, current, c.var.sessionUserId ?? ""));
  await next();
});

async function submittedToken(c: Context<PageEnv>): Promise<string | undefined> {
  const header = c.req.header("x-csrf-token");
  if (header) return TOKEN_PATTERN.test(header) ? header : undefined;
  const type = c.req.header("content-type") ?? "";
  if (!/^(application\/x-www-form-urlencoded|multipart\/form-data)/i.test(type)) return undefined;
  const body = await c.req.parseBody();
  const value = body[CSRF_FIELD];
  return typeof value === "string" && TOKEN_PATTERN.test(value) ? value : undefined;
}

const keys = new Map<string, Promise<CryptoKey>>();

function hmacKey(secret: string): Promise<CryptoKey> {
  let key = keys.get(secret);
  if (!key) {
    key = crypto.subtle.importKey(
      "raw",
      new TextEncoder().encode(`csrf:${secret}`),
      { name: "HMAC", hash: "SHA-256" },
      false,
      ["sign", "verify"],
    );
    keys.set(secret, key);
  }
  return key;
}

async function tokenFor(secret: string, nonce: string, userId: string): Promise<string> {
  const signature = await crypto.subtle.sign(
    "HMAC",
    await hmacKey(secret),
    new TextEncoder().encode(`${nonce}|${userId}`),
  );
  return base64Url(new Uint8Array(signature));
}

// crypto.subtle.verify compares in constant time.
async function tokenMatches(secret: string, nonce: string, userId: string, token: string) {
  return await crypto.subtle.verify(
    "HMAC",
    await hmacKey(secret),
    fromBase64Url(token),
    new TextEncoder().encode(`${nonce}|${userId}`),
  );
}

function writeNonce(c: Context<PageEnv>, nonce: string): void {
  setCookie(c, CSRF_COOKIE, nonce, {
    httpOnly: true,
    sameSite: "Lax",
    secure: secureCookies(c),
    path: PAGES_PATH,
  });
}

function newNonce(): string {
  return base64Url(crypto.getRandomValues(new Uint8Array(NONCE_BYTES)));
}

function base64Url(bytes: Uint8Array): string {
  return btoa(String.fromCharCode(...bytes)).replaceAll("+", "-").replaceAll("/", "_")
    .replaceAll("=", "");
}

function fromBase64Url(text: string): Uint8Array<ArrayBuffer> {
  const binary = atob(text.replaceAll("-", "+").replaceAll("_", "/") + "=");
  return Uint8Array.from(binary, (char) => char.charCodeAt(0));
}

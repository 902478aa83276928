/** What the pages' cookies share: their path, and when they must be Secure. */
import type { Context } from "hono";
import type { PageEnv } from "./page_env.ts";

/** Pages live under this path; their cookies are scoped to it. */
export const PAGES_PATH = "/app";

/**
 * True when cookies must be Secure: always in production (a TLS-terminating proxy that does not
 * say so must not downgrade them), and on any request that came over https.
 */
export function secureCookies(c: Context<PageEnv>): boolean {
  if (c.var.deps.config.env === "production") return true;
  // Trusting the proxy header can only add the Secure flag, never remove it.
  return new URL(c.req.url).protocol === "https:" || c.req.header("x-forwarded-proto") === "https";
}

/** What the pages' cookies share: their path, and when they must be Secure. */
import type { Context } from "hono";

/** Pages live under this path; their cookies are scoped to it. */
export const PAGES_PATH = "/app";

/** True when the request came over https (directly, or through a proxy that says so). */
export function isHttps(c: Context): boolean {
  // Trusting the proxy header can only add the Secure flag, never remove it.
  return new URL(c.req.url).protocol === "https:" || c.req.header("x-forwarded-proto") === "https";
}

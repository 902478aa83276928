/**
 * One spelling per path: `/accounts/` is answered 308 Permanent Redirect to `/accounts` (query
 * kept, method and body preserved by the client), for every method and path but `/` itself, so
 * no undocumented alias answers 200 and a cache or rule keyed on a path sees one spelling.
 */
import type { MiddlewareHandler } from "hono";

/** Redirects a path with trailing slashes to the same path without them. */
export function trimTrailingSlashes(): MiddlewareHandler {
  return async function trimTrailingSlashes(c, next) {
    const url = new URL(c.req.url);
    if (url.pathname.length > 1 && url.pathname.endsWith("/")) {
      // "//" at the start would make the Location another origin: keep exactly one slash.
      const path = "/" + url.pathname.replace(/^\/+/, "").replace(/\/+$/, "");
      return new Response(null, { status: 308, headers: { location: path + url.search } });
    }
    await next();
  };
}

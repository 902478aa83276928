/** The client's network address, as the socket saw it (never a header a client can forge). */
import type { Context } from "hono";

/**
 * The peer address Deno.serve passed as the handler's second argument, or undefined when the app
 * runs in-process without one. Behind a proxy this is the proxy's address: per-client limits then
 * count the proxy, which is the safe side.
 */
export function clientAddress(c: Context): string | undefined {
  const env = c.env as { remoteAddr?: { hostname?: unknown } } | undefined;
  const hostname = env?.remoteAddr?.hostname;
  return typeof hostname === "string" && hostname.length > 0 ? hostname.slice(0, 100) : undefined;
}

/** Content-Security-Policy by what a response is: HTML pages get a policy without inline scripts. */
import { createMiddleware } from "hono/factory";

/** For HTML: scripts, styles and everything else only from this origin; never framed. */
export const HTML_CONTENT_SECURITY_POLICY = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "connect-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'self'",
  "frame-ancestors 'none'",
].join("; ");

/** For anything else (JSON, problems): nothing may load, nothing may frame it. */
export const API_CONTENT_SECURITY_POLICY = "default-src 'none'; frame-ancestors 'none'";

/** Sets Content-Security-Policy on every response after it is built, unless a route set one. */
export function contentSecurityPolicy() {
  return createMiddleware(async function contentSecurityPolicy(c, next) {
    await next();
    if (c.res.headers.has("content-security-policy")) return;
    const html = (c.res.headers.get("content-type") ?? "").startsWith("text/html");
    c.res.headers.set(
      "content-security-policy",
      html ? HTML_CONTENT_SECURITY_POLICY : API_CONTENT_SECURITY_POLICY,
    );
  });
}

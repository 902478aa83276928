/**
 * Strict input, once for every operation: nothing a client sends is silently dropped. Body and
 * query schemas are strict objects (an unknown key is a 400 naming it); this file gives the same
 * rule to the operations that declare no query, or no body, of their own.
 */
import type { RouteConfig } from "@hono/zod-openapi";
import { createMiddleware } from "hono/factory";
import { HTTPException } from "hono/http-exception";
import { InvalidInputError } from "../domain/errors.ts";
import { validationProblem } from "./problem.ts";
import { NoBody, NoQuery } from "./schemas.ts";

const JSON_MEDIA = /^application\/([\w.-]+\+)?json$/i;

/**
 * Refuses a body sent to an operation that defines none. Nothing, or `{}`, is fine (clients send
 * `{}` by habit); a field is a 400 naming it, as on any strict body; anything that is not JSON is
 * a 400 on `body`, since it would be dropped unread.
 */
export const refuseUndeclaredBody = createMiddleware(async function refuseUndeclaredBody(c, next) {
  // Cached by Hono and bounded by the app's body limit.
  const text = await c.req.text();
  if (text.trim() === "") return await next();
  const mediaType = (c.req.header("content-type") ?? "").split(";")[0].trim();
  if (!JSON_MEDIA.test(mediaType)) {
    throw new InvalidInputError("body", "must be empty: this operation takes no body");
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    // The same malformed_json problem as a declared body's.
    throw new HTTPException(400, { message: "Malformed JSON in request body" });
  }
  const result = NoBody.safeParse(value);
  if (!result.success) return validationProblem(c, result.error, "json");
  await next();
});

const BODYLESS_METHODS = new Set(["get", "head"]);

/**
 * The route as registered: a strict empty query where it declares none, and a guard against a
 * body where a method that may carry one declares none. Neither shows in the OpenAPI document
 * beyond what is true there (no parameters, no request body).
 */
export function withStrictInput<R extends RouteConfig>(route: R): R {
  const request = { ...route.request, query: route.request?.query ?? NoQuery };
  if (route.request?.body || BODYLESS_METHODS.has(route.method)) return { ...route, request };
  const middleware = route.middleware === undefined
    ? []
    : Array.isArray(route.middleware)
    ? route.middleware
    : [route.middleware];
  // After the route's own middleware (authentication first: a stranger learns nothing).
  return { ...route, request, middleware: [...middleware, refuseUndeclaredBody] };
}

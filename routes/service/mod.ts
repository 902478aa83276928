/** Service routes: health and currencies (the fraud rules are routes/fraud/). */
import { createRoute, z } from "@hono/zod-openapi";
import { CURRENCIES } from "../../domain/money.ts";
import { createRouter } from "../app_env.ts";
import { jsonResponse } from "../schemas.ts";

const HealthSchema = z.object({
  status: z.enum(["ok", "unavailable"]),
  database: z.enum(["ok", "unavailable"]),
}).openapi("Health");

const health = createRoute({
  method: "get",
  path: "/health",
  tags: ["Service"],
  summary: "Liveness and database reachability",
  responses: {
    200: jsonResponse(HealthSchema, "Healthy"),
    503: jsonResponse(HealthSchema, "The database is unreachable"),
  },
});

const currencies = createRoute({
  method: "get",
  path: "/currencies",
  tags: ["Service"],
  summary: "Supported currencies and their exponents",
  responses: {
    200: jsonResponse(
      z.object({
        data: z.array(
          z.object({ code: z.string(), exponent: z.number().int() }).openapi("Currency"),
        ),
      }),
      "Supported currencies",
    ),
  },
});

const HEALTH_TIMEOUT_MS = 2_000;

/** Health and currencies. */
export function serviceRoutes() {
  return createRouter()
    .openapi(health, async (c) => {
      const ok = await Promise.race([
        c.var.deps.sql`SELECT 1`.then(() => true, () => false),
        new Promise<boolean>((resolve) => setTimeout(() => resolve(false), HEALTH_TIMEOUT_MS)),
      ]);
      return ok
        ? c.json({ status: "ok" as const, database: "ok" as const }, 200)
        : c.json({ status: "unavailable" as const, database: "unavailable" as const }, 503);
    })
    .openapi(currencies, (c) => c.json({ data: CURRENCIES.map((x) => ({ ...x })) }, 200));
}

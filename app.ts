/** The app factory: one Hono app serving the JSON API (and, mounted beside it, the pages). */
import { paymentScheduleRoutes } from "./routes/payment_schedules/mod.ts";
import { debitOrderRoutes } from "./routes/debit_orders/mod.ts";
import { bodyLimit } from "hono/body-limit";
import { secureHeaders } from "hono/secure-headers";
import { timeout } from "hono/timeout";
import { elapsedMs } from "./db/serializable.ts";
import { HTTPException } from "hono/http-exception";
import { type AppDeps, createRouter } from "./routes/app_env.ts";
import { accountRoutes } from "./routes/accounts/mod.ts";
import { errorToResponse, problemBody, problemResponse } from "./routes/problem.ts";
import { serviceRoutes } from "./routes/service/mod.ts";
import { fraudRoutes } from "./routes/fraud/mod.ts";
import { transactionRoutes } from "./routes/transactions/mod.ts";
import { userRoutes } from "./routes/users/mod.ts";
import { paymentRoutes } from "./routes/payments/mod.ts";
import { cardRoutes } from "./routes/cards/mod.ts";
import { holdRoutes } from "./routes/holds/mod.ts";
import { simulationRoutes } from "./routes/simulations/mod.ts";
import { fxRoutes } from "./routes/fx/mod.ts";
import { statementRoutes } from "./routes/statements/mod.ts";
import { clearingRoutes } from "./routes/clearing/mod.ts";
import { accountVerificationRoutes } from "./routes/account_verifications/mod.ts";
import { methodNotAllowed } from "./routes/method_not_allowed.ts";
import { docsRoutes } from "./routes/docs/mod.ts";
import { openApiDocument } from "./routes/openapi.ts";
import { exactJsonNumbers } from "./routes/exact_json_numbers.ts";
import { apiKeyRoutes } from "./routes/api_keys/mod.ts";
import { eventRoutes } from "./routes/events/mod.ts";
import { webhookEndpointRoutes } from "./routes/webhook_endpoints/mod.ts";
import { contentSecurityPolicy } from "./routes/content_security.ts";
import { pageRoutes } from "./routes/pages/mod.ts";
import { apiResponseHeaders } from "./routes/response_headers.ts";
import { trimTrailingSlashes } from "./routes/trailing_slash.ts";

export type { AppDeps } from "./routes/app_env.ts";

/** The largest request body accepted, in bytes. */
export const BODY_BYTES_MAX = 64 * 1024;

/** The largest batch body (POST /transactions/batch, /payments/bulk: up to 1000 items), in bytes. */
export const BATCH_BODY_BYTES_MAX = 1024 * 1024;

/** The paths whose bodies may be as large as BATCH_BODY_BYTES_MAX. */
const BATCH_PATHS = new Set(["/transactions/batch", "/payments/bulk"]);

/**
 * The longest a request may run before it is answered 503; a client never waits on a database
 * that has gone away. The work itself is not cancelled, but a movement never sends its COMMIT
 * later than COMMIT_MARGIN_MS before this (the request's `commitBy`): it rolls back instead.
 */
export const REQUEST_TIMEOUT_MS = 10_000;

/** How long before the request timeout a movement must have sent its COMMIT. */
export const COMMIT_MARGIN_MS = 1_000;

/** Builds the whole app from its dependencies; tests call `app.request()` on it in-process. */
export function createApp(deps: AppDeps) {
  const app = createRouter();
  app.use("*", trimTrailingSlashes());
  app.use("*", async function provideDeps(c, next) {
    c.set("deps", deps);
    c.set("requestId", crypto.randomUUID());
    // On the elapsed-time timer the pipeline measures budgets on, as the timeout's own timer runs.
    c.set("commitBy", elapsedMs() + REQUEST_TIMEOUT_MS - COMMIT_MARGIN_MS);
    await next();
  });
  // Outside everything else, so it sees every answer: errors, 404s and timeouts included.
  app.use("*", apiResponseHeaders);
  app.use(
    "*",
    timeout(REQUEST_TIMEOUT_MS, (c) => {
      deps.log("warn", "request_timeout", { method: c.req.method, path: c.req.path });
      return new HTTPException(503);
    }),
  );
  app.use(
    "*",
    secureHeaders({
      referrerPolicy: "no-referrer",
      crossOriginResourcePolicy: false,
      xFrameOptions: "DENY",
    }),
  );
  app.use("*", contentSecurityPolicy());
  const limitOf = (maxSize: number) =>
    bodyLimit({
      maxSize,
      onError: () =>
        problemResponse(
          problemBody(413, "payload_too_large", `The body exceeds ${maxSize} bytes`),
        ),
    });
  const bodyLimitDefault = limitOf(BODY_BYTES_MAX);
  const bodyLimitBatch = limitOf(BATCH_BODY_BYTES_MAX);
  app.use("*", function limitBody(c, next) {
    const limit = BATCH_PATHS.has(c.req.path) ? bodyLimitBatch : bodyLimitDefault;
    return limit(c, next);
  });

  app.use("*", exactJsonNumbers);

  app.route("/", serviceRoutes());
  app.route("/", fraudRoutes());
  app.route("/", userRoutes());
  app.route("/", accountRoutes());
  app.route("/", transactionRoutes());
  app.route("/", paymentRoutes());
  app.route("/", holdRoutes());
  app.route("/", simulationRoutes());
  app.route("/", cardRoutes());
  app.route("/", fxRoutes());
  app.route("/", statementRoutes());
  app.route("/", clearingRoutes());
  app.route("/", accountVerificationRoutes());
  app.route("/", paymentScheduleRoutes());
  app.route("/", debitOrderRoutes());
  app.route("/", apiKeyRoutes());
  app.route("/", eventRoutes());
  app.route("/", webhookEndpointRoutes());
  // The browser pages (/, /static, /app/*): HTML, outside the OpenAPI document.
  app.route("/", pageRoutes());

  app.openAPIRegistry.registerComponent("securitySchemes", "bearerAuth", {
    type: "http",
    scheme: "bearer",
    bearerFormat: "JWT",
    description: "An access token from POST /auth/login, or an API key (sk_test_...) within its " +
      "scopes: read (GETs), money (every other call but keys and webhook endpoints), admin (all).",
  });
  // The server named is configured (PUBLIC_URL) or relative, never the request's Host header:
  // a forged Host must not put an attacker's origin into the document "try it" requests use.
  const serverUrl = deps.config.publicUrl ?? "/";
  // Built once, on first request: every route is registered by then, and building it costs about
  // 200 ms of CPU (zod to JSON Schema for ~90 operations), which each /docs visit would repeat.
  let document: ReturnType<typeof openApiDocument> | undefined;
  app.get("/openapi.json", (c) => c.json(document ??= openApiDocument(app, serverUrl)));
  app.route("/", docsRoutes());

  const notAllowed = methodNotAllowed(app.routes);
  app.notFound((c) => {
    const allowed = notAllowed(c.req.method, c.req.path);
    if (allowed) {
      return problemResponse(
        problemBody(405, "method_not_allowed", `${c.req.method} is not allowed on ${c.req.path}`),
        { allow: allowed.join(", ") },
      );
    }
    return problemResponse(
      problemBody(404, "not_found", `No route for ${c.req.method} ${c.req.path}`),
    );
  });
  app.onError((error, c) => errorToResponse(error, deps.log, c.req.raw));
  return app;
}

/** What every route shares: the app's dependencies, its Hono env, and the one router factory. */
import { OpenAPIHono, type RouteConfig, type RouteHandler } from "@hono/zod-openapi";
import type { Config } from "../config.ts";
import type { AuthenticatedKey } from "../db/api_keys.ts";
import type { Sql } from "../db/client.ts";
import type { FraudRule } from "../domain/fraud/mod.ts";
import type { ResolveHost } from "../domain/webhook_urls.ts";
import type { AccessClaims } from "./auth/tokens.ts";
import type { Logger } from "./logger.ts";
import { validationProblem } from "./problem.ts";
import { withStrictInput } from "./strict_input.ts";

/** Everything the app needs from outside; tests pass their own database and clock. */
export interface AppDeps {
  sql: Sql;
  config: Config;
  /** Real time. The sandbox clock of each user is this plus the user's offset. */
  clock: () => Date;
  fraudRules: FraudRule[];
  log: Logger;
  /** Name resolution for the production webhook URL check; Deno.resolveDns when absent. */
  resolveHost?: ResolveHost;
  /** Aborted when the server begins to shut down: open event streams end (main.ts shutdown). */
  stopping?: AbortSignal;
}

/** A request's bearer credential: an access token's claims, or an API key. */
export type Credential =
  | { kind: "access_token"; claims: AccessClaims }
  | { kind: "api_key"; key: AuthenticatedKey };

/** The Hono env of every route. */
export interface AppEnv {
  Variables: {
    deps: AppDeps;
    /** The authenticated user, set by requireUser. */
    userId: string;
    /** What the request authenticated with, set by requireUser beside `userId`. */
    credential: Credential;
    requestId: string;
    /**
     * Epoch ms by which a movement must have sent its COMMIT: a second before the request
     * timeout answers 503, so a client told to retry has had nothing posted.
     */
    commitBy: number;
  };
}

/** A handler typed by its route: path params, validated input and responses all checked. */
export type AppRouteHandler<R extends RouteConfig> = RouteHandler<R, AppEnv>;

/**
 * Every API router comes from here, so every validation failure has the same problem shape and
 * every operation refuses what it does not define (an unknown query parameter, or a body where
 * it takes none) with a 400 naming it.
 */
export function createRouter(): OpenAPIHono<AppEnv> {
  const router = new OpenAPIHono<AppEnv>({
    strict: false,
    defaultHook: (result, c) => {
      if (!result.success) return validationProblem(c, result.error, result.target);
    },
  });
  const register = router.openapi;
  router.openapi = (route, handler, hook) => register(withStrictInput(route), handler, hook);
  return router;
}

/** Confirmation-of-payee routes. */
import { createRouter } from "../app_env.ts";
import * as handlers from "./handlers.ts";
import * as routes from "./routes.ts";

/** POST /account_verifications. */
export function accountVerificationRoutes() {
  return createRouter().openapi(routes.verify, handlers.verify);
}

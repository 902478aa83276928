/** Fraud rule routes. */
import { createRouter } from "../app_env.ts";
import * as handlers from "./handlers.ts";
import * as routes from "./routes.ts";

/** The active fraud rules. */
export function fraudRoutes() {
  return createRouter().openapi(routes.list, handlers.list);
}

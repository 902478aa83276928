/** Clearing calendar routes. */
import { createRouter } from "../app_env.ts";
import * as handlers from "./handlers.ts";
import * as routes from "./routes.ts";

/** The clearing calendar. */
export function clearingRoutes() {
  return createRouter().openapi(routes.calendar, handlers.calendar);
}

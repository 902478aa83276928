/** Event routes. */
import { createRouter } from "../app_env.ts";
import * as handlers from "./handlers.ts";
import * as routes from "./routes.ts";

/** Listing, reading and redelivering events. */
export function eventRoutes() {
  return createRouter()
    .openapi(routes.list, handlers.list)
    .openapi(routes.getOne, handlers.getOne)
    .openapi(routes.redeliver, handlers.redeliver);
}

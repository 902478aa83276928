/** Hold routes. */
import { createRouter } from "../app_env.ts";
import * as handlers from "./handlers.ts";
import * as routes from "./routes.ts";

/** Placing, reading, capturing and voiding holds. */
export function holdRoutes() {
  return createRouter()
    .openapi(routes.place, handlers.place)
    .openapi(routes.list, handlers.list)
    .openapi(routes.getOne, handlers.getOne)
    .openapi(routes.capture, handlers.capture)
    .openapi(routes.voidHold, handlers.voidHold);
}

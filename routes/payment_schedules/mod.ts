/** Standing-order routes. */
import { createRouter } from "../app_env.ts";
import * as handlers from "./handlers.ts";
import * as routes from "./routes.ts";

/** Creating, reading and cancelling standing orders. */
export function paymentScheduleRoutes() {
  return createRouter()
    .openapi(routes.create, handlers.create)
    .openapi(routes.list, handlers.list)
    .openapi(routes.getOne, handlers.getOne)
    .openapi(routes.cancel, handlers.cancel);
}

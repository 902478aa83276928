/** Payment routes. */
import { createRouter } from "../app_env.ts";
import * as handlers from "./handlers.ts";
import * as routes from "./routes.ts";

/** Sending and reading bank-to-bank payments. */
export function paymentRoutes() {
  return createRouter()
    .openapi(routes.send, handlers.send)
    .openapi(routes.bulk, handlers.bulk)
    .openapi(routes.list, handlers.list)
    .openapi(routes.getOne, handlers.getOne);
}

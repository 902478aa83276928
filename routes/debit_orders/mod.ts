/** Debit-order routes. */
import { createRouter } from "../app_env.ts";
import * as handlers from "./handlers.ts";
import * as routes from "./routes.ts";

/** Simulating, reading and disputing debit orders. */
export function debitOrderRoutes() {
  return createRouter()
    .openapi(routes.create, handlers.create)
    .openapi(routes.list, handlers.list)
    .openapi(routes.getOne, handlers.getOne)
    .openapi(routes.dispute, handlers.dispute);
}

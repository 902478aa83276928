/** Ledger routes. */
import { createRouter } from "../app_env.ts";
import * as handlers from "./handlers.ts";
import * as routes from "./routes.ts";

/** Transfers and ledger reads. */
export function transactionRoutes() {
  return createRouter()
    .openapi(routes.transfer, handlers.transfer)
    .openapi(routes.batch, handlers.batch)
    .openapi(routes.list, handlers.list)
    .openapi(routes.getOne, handlers.getOne);
}

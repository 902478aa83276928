/** Account routes. */
import { createRouter } from "../app_env.ts";
import * as handlers from "./handlers.ts";
import * as routes from "./routes.ts";

/** Opening and reading accounts, deposits and withdrawals. */
export function accountRoutes() {
  return createRouter()
    .openapi(routes.open, handlers.open)
    .openapi(routes.list, handlers.list)
    .openapi(routes.getOne, handlers.getOne)
    .openapi(routes.deposit, handlers.deposit)
    .openapi(routes.withdraw, handlers.withdraw)
    .openapi(routes.freeze, handlers.freeze)
    .openapi(routes.unfreeze, handlers.unfreeze)
    .openapi(routes.close, handlers.close)
    .openapi(routes.balance, handlers.balance);
}

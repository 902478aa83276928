/** Card routes: cards, their authorizations, and the card network's simulations. */
import { createRouter } from "../app_env.ts";
import * as handlers from "./handlers.ts";
import * as routes from "./routes.ts";

/** Issuing and managing cards, and simulating what merchants do with them. */
export function cardRoutes() {
  return createRouter()
    .openapi(routes.issue, handlers.issue)
    .openapi(routes.list, handlers.list)
    .openapi(routes.getOne, handlers.getOne)
    .openapi(routes.freeze, handlers.cardAction("freeze"))
    .openapi(routes.unfreeze, handlers.cardAction("unfreeze"))
    .openapi(routes.cancel, handlers.cardAction("cancel"))
    .openapi(routes.authorize, handlers.authorize)
    .openapi(routes.listAuthorizations, handlers.listAuthorizationsHandler)
    .openapi(routes.getAuthorization, handlers.getAuthorization)
    .openapi(routes.increment, handlers.increment)
    .openapi(routes.capture, handlers.capture)
    .openapi(routes.reverse, handlers.reverse)
    .openapi(routes.refund, handlers.refund);
}

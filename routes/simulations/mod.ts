/** Simulation routes. */
import { createRouter } from "../app_env.ts";
import * as handlers from "./handlers.ts";
import * as routes from "./routes.ts";

/** The clearing network's and the clock's simulations. */
export function simulationRoutes() {
  return createRouter()
    .openapi(routes.inboundPayment, handlers.inboundPayment)
    .openapi(routes.settlePayment, handlers.settlePayment)
    .openapi(routes.returnPayment, handlers.returnPayment)
    .openapi(routes.getClock, handlers.getClock)
    .openapi(routes.advanceClock, handlers.advanceClock)
    .openapi(routes.joinClock, handlers.joinClock)
    .openapi(routes.leaveClock, handlers.leaveClock);
}

/** Foreign exchange routes. */
import { createRouter } from "../app_env.ts";
import * as handlers from "./handlers.ts";
import * as routes from "./routes.ts";

/** The rate table, your own rates, and quotes. */
export function fxRoutes() {
  return createRouter()
    .openapi(routes.getRates, handlers.getRates)
    .openapi(routes.setRates, handlers.setRates)
    .openapi(routes.createQuote, handlers.createQuote);
}

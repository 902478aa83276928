/** Statement routes. */
import { createRouter } from "../app_env.ts";
import * as handlers from "./handlers.ts";
import * as routes from "./routes.ts";

/** Account statements in JSON and CSV. */
export function statementRoutes() {
  return createRouter().openapi(routes.statement, handlers.statement);
}

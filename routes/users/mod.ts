/** Auth and user routes. */
import { createRouter } from "../app_env.ts";
import * as handlers from "./handlers.ts";
import * as routes from "./routes.ts";

/** Registration, login, and the user's own profile. */
export function userRoutes() {
  return createRouter()
    .openapi(routes.register, handlers.register)
    .openapi(routes.createUser, handlers.register)
    .openapi(routes.login, handlers.login)
    .openapi(routes.logout, handlers.logout)
    .openapi(routes.changePassword, handlers.changePassword)
    .openapi(routes.me, handlers.me)
    .openapi(routes.getUser, handlers.getUser);
}

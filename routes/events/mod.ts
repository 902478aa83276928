/** Event routes. */
import { createRouter } from "../app_env.ts";
import * as handlers from "./handlers.ts";
import * as routes from "./routes.ts";
import { StreamCounter, streamHandler } from "./stream.ts";

/** Listing, streaming, reading and redelivering events. */
export function eventRoutes() {
  return createRouter()
    // Before /events/{id}, which would take "stream" for an id.
    .openapi(routes.stream, streamHandler(new StreamCounter()))
    .openapi(routes.list, handlers.list)
    .openapi(routes.getOne, handlers.getOne)
    .openapi(routes.redeliver, handlers.redeliver);
}

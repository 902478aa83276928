/** Handlers for events. */
import { findEvent, listEvents } from "../../db/events.ts";
import { countHits } from "../../db/rate_counters.ts";
import { redeliverEvent } from "../../db/webhook_deliveries.ts";
import { assertWithinLimit, rateKey, REDELIVERY_LIMIT } from "../../domain/abuse_limits.ts";
import { NotFoundError } from "../../domain/errors.ts";
import type { AppRouteHandler } from "../app_env.ts";
import { cursorPage, decodeCursor } from "../cursor.ts";
import type { GetOneRoute, ListRoute, RedeliverRoute } from "./routes.ts";
import { toEventJson } from "./schemas.ts";

export const list: AppRouteHandler<ListRoute> = async (c) => {
  const query = c.req.valid("query");
  const rows = await listEvents(c.var.deps.sql, {
    userId: c.var.userId,
    type: query.type,
    beforeSeq: query.cursor ? decodeCursor(query.cursor) : undefined,
    limit: query.limit + 1,
  });
  return c.json(cursorPage(rows, query.limit, toEventJson), 200);
};

export const getOne: AppRouteHandler<GetOneRoute> = async (c) => {
  const { id } = c.req.valid("param");
  const event = await findEvent(c.var.deps.sql, c.var.userId, id);
  if (!event) throw new NotFoundError("Event");
  return c.json(toEventJson(event), 200);
};

export const redeliver: AppRouteHandler<RedeliverRoute> = async (c) => {
  const { deps, userId } = c.var;
  const { id } = c.req.valid("param");
  const event = await findEvent(deps.sql, userId, id);
  if (!event) throw new NotFoundError("Event");
  // Counted before queueing: each call fans out to every endpoint, so a burst is refused whole.
  const now = deps.clock();
  const [count] = await countHits(deps.sql, [rateKey(REDELIVERY_LIMIT, userId)], now);
  assertWithinLimit(REDELIVERY_LIMIT, count, {
    now,
    message: "Too many redeliveries; retry later",
  });
  const queued = await redeliverEvent(deps.sql, userId, id, { realNow: deps.clock() });
  return c.json({ event_id: id, deliveries_queued: queued }, 202);
};

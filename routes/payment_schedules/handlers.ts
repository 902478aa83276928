/** Handlers for standing orders. */
import { findSchedule, listSchedules } from "../../db/schedules.ts";
import { NotFoundError } from "../../domain/errors.ts";
import type { AppRouteHandler } from "../app_env.ts";
import { cursorPage, decodeCursor } from "../cursor.ts";
import { runWithRequest, successFor } from "../movements.ts";
import { startSchedule, stopSchedule } from "../operations/schedules.ts";
import type { CancelRoute, CreateRoute, GetOneRoute, ListRoute } from "./routes.ts";
import { ScheduleSchema, toScheduleJson } from "./schemas.ts";

export const create: AppRouteHandler<CreateRoute> = async (c) => {
  const body = c.req.valid("json");
  const ran = await runWithRequest(
    c,
    (context) => startSchedule(c.var.deps, c.var.userId, body, context),
  );
  const answer = await successFor(ran, { status: 201, schema: ScheduleSchema });
  return c.json(answer.body, answer.status, answer.headers);
};

export const list: AppRouteHandler<ListRoute> = async (c) => {
  const query = c.req.valid("query");
  const rows = await listSchedules(c.var.deps.sql, {
    userId: c.var.userId,
    beforeSeq: query.cursor ? decodeCursor(query.cursor) : undefined,
    limit: query.limit + 1,
  });
  return c.json(cursorPage(rows, query.limit, toScheduleJson), 200);
};

export const getOne: AppRouteHandler<GetOneRoute> = async (c) => {
  const { id } = c.req.valid("param");
  const schedule = await findSchedule(c.var.deps.sql, c.var.userId, id);
  if (!schedule) throw new NotFoundError("Payment schedule");
  return c.json(toScheduleJson(schedule), 200);
};

export const cancel: AppRouteHandler<CancelRoute> = async (c) => {
  const { id } = c.req.valid("param");
  const ran = await runWithRequest(
    c,
    (context) => stopSchedule(c.var.deps, c.var.userId, id, context),
  );
  const answer = await successFor(ran, { status: 200, schema: ScheduleSchema });
  return c.json(answer.body, answer.status, answer.headers);
};

/** Handlers for debit orders. */
import { findDebitOrder, listDebitOrders } from "../../db/debit_orders.ts";
import { NotFoundError } from "../../domain/errors.ts";
import type { AppRouteHandler } from "../app_env.ts";
import { cursorPage, decodeCursor } from "../cursor.ts";
import { runWithRequest, successFor } from "../movements.ts";
import { announceDebitOrder, disputeOrder } from "../operations/schedules.ts";
import type { CreateRoute, DisputeRoute, GetOneRoute, ListRoute } from "./routes.ts";
import { DebitOrderSchema, toDebitOrderJson } from "./schemas.ts";

export const create: AppRouteHandler<CreateRoute> = async (c) => {
  const body = c.req.valid("json");
  const ran = await runWithRequest(
    c,
    (context) => announceDebitOrder(c.var.deps, c.var.userId, body, context),
  );
  const answer = await successFor(ran, { status: 201, schema: DebitOrderSchema });
  return c.json(answer.body, answer.status, answer.headers);
};

export const list: AppRouteHandler<ListRoute> = async (c) => {
  const query = c.req.valid("query");
  const rows = await listDebitOrders(c.var.deps.sql, {
    userId: c.var.userId,
    beforeSeq: query.cursor ? decodeCursor(query.cursor) : undefined,
    limit: query.limit + 1,
  });
  return c.json(cursorPage(rows, query.limit, toDebitOrderJson), 200);
};

export const getOne: AppRouteHandler<GetOneRoute> = async (c) => {
  const { id } = c.req.valid("param");
  const order = await findDebitOrder(c.var.deps.sql, c.var.userId, id);
  if (!order) throw new NotFoundError("Debit order");
  return c.json(toDebitOrderJson(order), 200);
};

export const dispute: AppRouteHandler<DisputeRoute> = async (c) => {
  const { id } = c.req.valid("param");
  const ran = await runWithRequest(
    c,
    (context) => disputeOrder(c.var.deps, c.var.userId, id, context),
  );
  const answer = await successFor(ran, { status: 200, schema: DebitOrderSchema });
  return c.json(answer.body, answer.status, answer.headers);
};

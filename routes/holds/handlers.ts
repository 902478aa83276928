/** Handlers for holds. */
import { findHold, listHolds } from "../../db/holds.ts";
import { NotFoundError } from "../../domain/errors.ts";
import type { AppRouteHandler } from "../app_env.ts";
import { cursorPage, decodeCursor } from "../cursor.ts";
import { answerFor, runWithRequest, successFor } from "../movements.ts";
import { capture as captureOp, place as placeOp, release } from "../operations/holds.ts";
import type { CaptureRoute, GetOneRoute, ListRoute, PlaceRoute, VoidRoute } from "./routes.ts";
import { HoldSchema, toHoldJson } from "./schemas.ts";

export const place: AppRouteHandler<PlaceRoute> = async (c) => {
  const input = { accountId: c.req.valid("param").id, body: c.req.valid("json") };
  const ran = await runWithRequest(
    c,
    (context) => placeOp(c.var.deps, c.var.userId, input, context),
  );
  const answer = await answerFor(ran, { status: 201, schema: HoldSchema });
  return answer.ok
    ? c.json(answer.body, answer.status, answer.headers)
    : c.json(answer.body, 422, answer.headers);
};

export const capture: AppRouteHandler<CaptureRoute> = async (c) => {
  const input = { holdId: c.req.valid("param").id, body: c.req.valid("json") ?? {} };
  const ran = await runWithRequest(
    c,
    (context) => captureOp(c.var.deps, c.var.userId, input, context),
  );
  const answer = await answerFor(ran, { status: 200, schema: HoldSchema });
  return answer.ok
    ? c.json(answer.body, answer.status, answer.headers)
    : c.json(answer.body, 422, answer.headers);
};

export const voidHold: AppRouteHandler<VoidRoute> = async (c) => {
  const { id } = c.req.valid("param");
  const ran = await runWithRequest(c, (context) => release(c.var.deps, c.var.userId, id, context));
  const answer = await successFor(ran, { status: 200, schema: HoldSchema });
  return c.json(answer.body, answer.status, answer.headers);
};

export const list: AppRouteHandler<ListRoute> = async (c) => {
  const query = c.req.valid("query");
  const rows = await listHolds(c.var.deps.sql, {
    userId: c.var.userId,
    accountId: query.account_id,
    status: query.status,
    beforeSeq: query.cursor ? decodeCursor(query.cursor) : undefined,
    limit: query.limit + 1,
  });
  return c.json(cursorPage(rows, query.limit, toHoldJson), 200);
};

export const getOne: AppRouteHandler<GetOneRoute> = async (c) => {
  const { id } = c.req.valid("param");
  const hold = await findHold(c.var.deps.sql, c.var.userId, id);
  if (!hold) throw new NotFoundError("Hold");
  return c.json(toHoldJson(hold), 200);
};

/** Handlers for holds. */
import {
  captureHold,
  findHold,
  listHolds,
  placeHold,
  voidHold as voidInDb,
} from "../../db/holds.ts";
import { NotFoundError } from "../../domain/errors.ts";
import type { AppRouteHandler } from "../app_env.ts";
import { cursorPage, decodeCursor } from "../cursor.ts";
import { jsonStored, respondToOperation } from "../idempotent.ts";
import { renderTransaction } from "../movements.ts";
import type { CaptureRoute, GetOneRoute, ListRoute, PlaceRoute, VoidRoute } from "./routes.ts";
import { toHoldJson } from "./schemas.ts";

export const place: AppRouteHandler<PlaceRoute> = async (c) => {
  const { deps, userId } = c.var;
  const { id } = c.req.valid("param");
  const body = c.req.valid("json");
  const response = await respondToOperation(
    c,
    body,
    (options) =>
      placeHold(deps.sql, {
        userId,
        accountId: id,
        amount: body.amount,
        description: body.description ?? null,
        expiresInSeconds: body.expires_in_seconds,
        realNow: deps.clock(),
        rules: deps.fraudRules,
      }, options),
    ({ hold, entry, verdict }) =>
      hold ? jsonStored(201, toHoldJson(hold)) : renderTransaction({ entry, verdict }),
  );
  return response as never;
};

export const capture: AppRouteHandler<CaptureRoute> = async (c) => {
  const { deps, userId } = c.var;
  const { id } = c.req.valid("param");
  const body = c.req.valid("json") ?? {};
  const response = await respondToOperation(
    c,
    body,
    (options) =>
      captureHold(
        deps.sql,
        { userId, holdId: id, amount: body.amount, realNow: deps.clock() },
        options,
      ),
    // A refused capture is recorded: 422 with its transaction_id, like any refusal.
    ({ hold, entry, verdict }) =>
      verdict.approved ? jsonStored(200, toHoldJson(hold)) : renderTransaction({ entry, verdict }),
  );
  return response as never;
};

export const voidHold: AppRouteHandler<VoidRoute> = async (c) => {
  const { deps, userId } = c.var;
  const { id } = c.req.valid("param");
  const response = await respondToOperation(
    c,
    {},
    (options) => voidInDb(deps.sql, { userId, holdId: id, realNow: deps.clock() }, options),
    ({ hold }) => jsonStored(200, toHoldJson(hold)),
  );
  return response as never;
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

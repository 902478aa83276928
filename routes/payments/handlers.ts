/** Handlers for bank-to-bank payments. */
import { findPayment, listPayments } from "../../db/payments.ts";
import { NotFoundError } from "../../domain/errors.ts";
import type { AppRouteHandler } from "../app_env.ts";
import { cursorPage, decodeCursor } from "../cursor.ts";
import { answerFor, runWithRequest } from "../movements.ts";
import { sendPayment } from "../operations/payments.ts";
import { paymentBatch } from "../operations/batches.ts";
import type { BulkRoute, GetOneRoute, ListRoute, SendRoute } from "./routes.ts";
import { PaymentBulkResultSchema, PaymentSchema, toPaymentJson } from "./schemas.ts";

export const send: AppRouteHandler<SendRoute> = async (c) => {
  const body = c.req.valid("json");
  const ran = await runWithRequest(
    c,
    (context) => sendPayment(c.var.deps, c.var.userId, body, context),
  );
  const answer = await answerFor(ran, { status: 201, schema: PaymentSchema });
  return answer.ok
    ? c.json(answer.body, answer.status, answer.headers)
    : c.json(answer.body, 422, answer.headers);
};

export const bulk: AppRouteHandler<BulkRoute> = async (c) => {
  const body = c.req.valid("json");
  const ran = await runWithRequest(
    c,
    (context) => paymentBatch(c.var.deps, c.var.userId, body, context),
  );
  const answer = await answerFor(ran, { status: 201, schema: PaymentBulkResultSchema });
  return answer.ok
    ? c.json(answer.body, answer.status, answer.headers)
    : c.json(answer.body, 422, answer.headers);
};

export const list: AppRouteHandler<ListRoute> = async (c) => {
  const query = c.req.valid("query");
  const rows = await listPayments(c.var.deps.sql, {
    userId: c.var.userId,
    accountId: query.account_id,
    status: query.status,
    beforeSeq: query.cursor ? decodeCursor(query.cursor) : undefined,
    limit: query.limit + 1,
  });
  return c.json(cursorPage(rows, query.limit, toPaymentJson), 200);
};

export const getOne: AppRouteHandler<GetOneRoute> = async (c) => {
  const { id } = c.req.valid("param");
  const payment = await findPayment(c.var.deps.sql, c.var.userId, id);
  if (!payment) throw new NotFoundError("Payment");
  return c.json(toPaymentJson(payment), 200);
};

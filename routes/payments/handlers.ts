/** Handlers for bank-to-bank payments. */
import type { StoredResponse } from "../../db/idempotency.ts";
import { findPayment, listPayments, type PaymentResult, sendPayment } from "../../db/payments.ts";
import { NotFoundError } from "../../domain/errors.ts";
import type { AppRouteHandler } from "../app_env.ts";
import { cursorPage, decodeCursor } from "../cursor.ts";
import { jsonStored, respondToOperation } from "../idempotent.ts";
import { problemBody } from "../problem.ts";
import type { GetOneRoute, ListRoute, SendRoute } from "./routes.ts";
import { toPaymentJson } from "./schemas.ts";

export const send: AppRouteHandler<SendRoute> = async (c) => {
  const { deps, userId } = c.var;
  const body = c.req.valid("json");
  const response = await respondToOperation<PaymentResult>(
    c,
    body,
    (options) =>
      sendPayment(deps.sql, {
        userId,
        accountId: body.from_account_id,
        amount: body.amount,
        counterparty: body.counterparty,
        description: body.description ?? null,
        realNow: deps.clock(),
        rules: deps.fraudRules,
        settlementSeconds: deps.config.paymentSettlementSeconds,
      }, options),
    renderPayment,
  );
  return response as never;
};

/** 201 with the pending Payment; a refusal is a 422 naming its ledger row and rejected payment. */
function renderPayment(result: PaymentResult): StoredResponse {
  const { verdict, entry, payment } = result;
  if (verdict.approved) return jsonStored(201, toPaymentJson(payment));
  const problem = problemBody(422, verdict.code, verdict.detail, {
    transaction_id: entry.id,
    reason: verdict.reason,
    payment_id: payment.id,
  });
  return { status: 422, body: JSON.stringify(problem) };
}

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

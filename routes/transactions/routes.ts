/** The routes of the ledger: transfers and reading entries. */
import { createRoute } from "@hono/zod-openapi";
import { requireUser } from "../auth/require_user.ts";
import { IdempotencyHeaders, IdParams, jsonBody, jsonResponse, problems } from "../schemas.ts";
import {
  TransactionPageSchema,
  TransactionQuery,
  TransactionSchema,
  TransferSchema,
} from "./schemas.ts";

export const transfer = createRoute({
  method: "post",
  path: "/transactions/transfer",
  tags: ["Transactions"],
  summary: "Transfer money from your account to any account",
  description: "Moves money from one of your accounts to any account in the same currency, named " +
    "by `to_account_id` or `to_account_number` (exactly one). Checked against the balance and " +
    "the fraud rules (`GET /fraud/rules`); a refusal is recorded on the ledger and answered 422 " +
    "with `code` (`insufficient_funds`, `same_account`, `currency_mismatch`, `fraud_rejected`), " +
    "`reason` and `transaction_id`. Between accounts of two currencies, carry `fx_quote_id` (a " +
    "quote from `POST /fx/quotes` for exactly those currencies, `amount` its `sell_amount`): the " +
    "Transaction then has `fx`; an expired quote is 422 `fx_quote_expired`, a quote for other " +
    "currencies 422 `fx_quote_mismatch`, another amount 422 `fx_amount_mismatch` (all " +
    "recorded), a used one 409 `fx_quote_used`.",
  middleware: [requireUser] as const,
  security: [{ bearerAuth: [] }],
  request: { headers: IdempotencyHeaders, body: jsonBody(TransferSchema) },
  responses: {
    201: jsonResponse(TransactionSchema, "The approved transfer"),
    400: problems[400],
    401: problems[401],
    404: problems[404],
    409: problems[409],
    422: problems[422],
    503: problems[503],
  },
});
export type TransferRoute = typeof transfer;

export const list = createRoute({
  method: "get",
  path: "/transactions",
  tags: ["Transactions"],
  summary: "Your ledger, newest first",
  description: "Every movement on your accounts, approved and refused, newest first. Page with " +
    "`limit` and the `next_cursor` of the previous page.",
  middleware: [requireUser] as const,
  security: [{ bearerAuth: [] }],
  request: { query: TransactionQuery },
  responses: {
    200: jsonResponse(TransactionPageSchema, "A page of transactions"),
    400: problems[400],
    401: problems[401],
    404: problems[404],
  },
});
export type ListRoute = typeof list;

export const getOne = createRoute({
  method: "get",
  path: "/transactions/{id}",
  tags: ["Transactions"],
  summary: "One transaction",
  middleware: [requireUser] as const,
  security: [{ bearerAuth: [] }],
  request: { params: IdParams },
  responses: {
    200: jsonResponse(TransactionSchema, "The transaction"),
    400: problems[400],
    401: problems[401],
    404: problems[404],
  },
});
export type GetOneRoute = typeof getOne;

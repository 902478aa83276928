/** The routes of the ledger: transfers and reading entries. */
import { createRoute } from "@hono/zod-openapi";
import { requireUser } from "../auth/require_user.ts";
import {
  batchRejectedDoc,
  IdempotencyHeaders,
  IdParams,
  jsonBody,
  jsonResponse,
  problems,
} from "../schemas.ts";
import {
  TransactionPageSchema,
  TransactionQuery,
  TransactionSchema,
  TransferBatchResultSchema,
  TransferBatchSchema,
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

export const batch = createRoute({
  method: "post",
  path: "/transactions/batch",
  tags: ["Transactions"],
  summary: "Post up to 1000 transfers as one batch",
  description: "Every item is a POST /transactions/transfer body; the items are decided in " +
    "order in one database transaction (item 2 may spend what item 1 brought in), each screened " +
    "by the fraud rules with the earlier items counted. `atomic: false`: each item stands alone " +
    "and the answer is 201 with every item's result. `atomic: true`: if any item is refused (or " +
    "names an account not found) nothing moves, the refused items are recorded with their " +
    "reasons and the others as rejected `batch_rejected` rows, and the answer is 422 " +
    "`batch_rejected` carrying the same `results`. A malformed item is a 400 naming " +
    "`items.<index>.<field>`. One Idempotency-Key covers the whole batch. Bodies up to 1 MiB.",
  middleware: [requireUser] as const,
  security: [{ bearerAuth: [] }],
  request: { headers: IdempotencyHeaders, body: jsonBody(TransferBatchSchema) },
  responses: {
    201: jsonResponse(TransferBatchResultSchema, "Every item's result"),
    400: problems[400],
    401: problems[401],
    409: problems[409],
    413: problems[413],
    422: batchRejectedDoc,
    503: problems[503],
  },
});
export type BatchRoute = typeof batch;

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

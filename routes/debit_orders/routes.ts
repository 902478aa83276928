/** The routes of debit orders. */
import { createRoute } from "@hono/zod-openapi";
import { requireUser } from "../auth/require_user.ts";
import {
  IdempotencyHeaders,
  IdParams,
  jsonBody,
  jsonResponse,
  PageQuery,
  problems,
} from "../schemas.ts";
import { CreateDebitOrderSchema, DebitOrderPageSchema, DebitOrderSchema } from "./schemas.ts";

export const create = createRoute({
  method: "post",
  path: "/simulations/debit_orders",
  tags: ["Simulations"],
  summary: "Simulate a creditor's debit order on your own account",
  description: "Collected on collect_on (default the next business day) on your sandbox clock as " +
    "a debit_order transaction, or failed with insufficient_funds (a rejected ledger row).",
  middleware: [requireUser] as const,
  security: [{ bearerAuth: [] }],
  request: { headers: IdempotencyHeaders, body: jsonBody(CreateDebitOrderSchema) },
  responses: {
    201: jsonResponse(DebitOrderSchema, "The scheduled debit order"),
    400: problems[400],
    401: problems[401],
    404: problems[404],
    409: problems[409],
    503: problems[503],
  },
});
export type CreateRoute = typeof create;

export const list = createRoute({
  method: "get",
  path: "/debit_orders",
  tags: ["Debit orders"],
  summary: "Your debit orders, newest first",
  middleware: [requireUser] as const,
  security: [{ bearerAuth: [] }],
  request: { query: PageQuery },
  responses: {
    200: jsonResponse(DebitOrderPageSchema, "A page of debit orders"),
    400: problems[400],
    401: problems[401],
  },
});
export type ListRoute = typeof list;

export const getOne = createRoute({
  method: "get",
  path: "/debit_orders/{id}",
  tags: ["Debit orders"],
  summary: "One of your debit orders",
  middleware: [requireUser] as const,
  security: [{ bearerAuth: [] }],
  request: { params: IdParams },
  responses: {
    200: jsonResponse(DebitOrderSchema, "The debit order"),
    400: problems[400],
    401: problems[401],
    404: problems[404],
  },
});
export type GetOneRoute = typeof getOne;

export const dispute = createRoute({
  method: "post",
  path: "/debit_orders/{id}/dispute",
  tags: ["Debit orders"],
  summary: "Dispute a collected debit order",
  description: "Reverses it, crediting the money back (debit_order_reversal). 409 " +
    "dispute_window_closed after DEBIT_ORDER_DISPUTE_DAYS (40) from collection on your sandbox " +
    "clock; 409 debit_order_not_collected when it is not collected.",
  middleware: [requireUser] as const,
  security: [{ bearerAuth: [] }],
  request: { params: IdParams, headers: IdempotencyHeaders },
  responses: {
    200: jsonResponse(DebitOrderSchema, "The reversed debit order"),
    400: problems[400],
    401: problems[401],
    404: problems[404],
    409: problems[409],
    503: problems[503],
  },
});
export type DisputeRoute = typeof dispute;

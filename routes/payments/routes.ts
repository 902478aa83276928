/** The routes of bank-to-bank payments. */
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
  PaymentBulkResultSchema,
  PaymentBulkSchema,
  PaymentPageSchema,
  PaymentQuery,
  PaymentSchema,
  SendPaymentSchema,
} from "./schemas.ts";

export const send = createRoute({
  method: "post",
  path: "/payments",
  tags: ["Payments"],
  summary: "Send a payment to another bank",
  description: "Debits the account at once (payment_out); the payment settles " +
    "PAYMENT_SETTLEMENT_SECONDS later on your sandbox clock, or is returned and credited back.",
  middleware: [requireUser] as const,
  security: [{ bearerAuth: [] }],
  request: { headers: IdempotencyHeaders, body: jsonBody(SendPaymentSchema) },
  responses: {
    201: jsonResponse(PaymentSchema, "The pending payment"),
    400: problems[400],
    401: problems[401],
    404: problems[404],
    409: problems[409],
    422: problems[422],
    503: problems[503],
  },
});
export type SendRoute = typeof send;

export const bulk = createRoute({
  method: "post",
  path: "/payments/bulk",
  tags: ["Payments"],
  summary: "Send up to 1000 payments as one batch",
  description: "Every item is a POST /payments body; decided in order in one database " +
    "transaction, each screened by the fraud rules with the earlier items counted. " +
    "`atomic: false`: each item stands alone (201, every item's result). `atomic: true`: if any " +
    "item is refused (or names an account not found) nothing moves, refused items are recorded " +
    "with their reasons (rejected Payments), the others as rejected `batch_rejected`, and the " +
    "answer is 422 `batch_rejected` carrying the same `results`. A malformed item is a 400 " +
    "naming `items.<index>.<field>`. One Idempotency-Key covers the whole batch. Bodies up to 1 MiB.",
  middleware: [requireUser] as const,
  security: [{ bearerAuth: [] }],
  request: { headers: IdempotencyHeaders, body: jsonBody(PaymentBulkSchema) },
  responses: {
    201: jsonResponse(PaymentBulkResultSchema, "Every item's result"),
    400: problems[400],
    401: problems[401],
    409: problems[409],
    413: problems[413],
    422: batchRejectedDoc,
    503: problems[503],
  },
});
export type BulkRoute = typeof bulk;

export const list = createRoute({
  method: "get",
  path: "/payments",
  tags: ["Payments"],
  summary: "Your payments, newest first",
  middleware: [requireUser] as const,
  security: [{ bearerAuth: [] }],
  request: { query: PaymentQuery },
  responses: {
    200: jsonResponse(PaymentPageSchema, "A page of payments"),
    400: problems[400],
    401: problems[401],
  },
});
export type ListRoute = typeof list;

export const getOne = createRoute({
  method: "get",
  path: "/payments/{id}",
  tags: ["Payments"],
  summary: "One of your payments",
  middleware: [requireUser] as const,
  security: [{ bearerAuth: [] }],
  request: { params: IdParams },
  responses: {
    200: jsonResponse(PaymentSchema, "The payment"),
    400: problems[400],
    401: problems[401],
    404: problems[404],
  },
});
export type GetOneRoute = typeof getOne;

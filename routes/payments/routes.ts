/** The routes of bank-to-bank payments. */
import { createRoute } from "@hono/zod-openapi";
import { requireUser } from "../auth/require_user.ts";
import { IdempotencyHeaders, IdParams, jsonBody, jsonResponse, problems } from "../schemas.ts";
import { PaymentPageSchema, PaymentQuery, PaymentSchema, SendPaymentSchema } from "./schemas.ts";

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

/** The routes that simulate the outside world: the clearing network and the passing of time. */
import { createRoute } from "@hono/zod-openapi";
import { requireUser } from "../auth/require_user.ts";
import { InboundPaymentSchema, PaymentSchema, ReturnPaymentSchema } from "../payments/schemas.ts";
import { IdempotencyHeaders, IdParams, jsonBody, jsonResponse, problems } from "../schemas.ts";
import { AdvanceClockSchema, ClockSchema, JoinClockSchema } from "./schemas.ts";

export const inboundPayment = createRoute({
  method: "post",
  path: "/simulations/inbound_payments",
  tags: ["Simulations"],
  summary: "Simulate a payment from another bank into your account",
  description: "The payment is pending; it credits the account (payment_in) when it settles.",
  middleware: [requireUser] as const,
  security: [{ bearerAuth: [] }],
  request: { headers: IdempotencyHeaders, body: jsonBody(InboundPaymentSchema) },
  responses: {
    201: jsonResponse(PaymentSchema, "The pending inbound payment"),
    400: problems[400],
    401: problems[401],
    404: problems[404],
    409: problems[409],
    422: problems[422],
  },
});
export type InboundPaymentRoute = typeof inboundPayment;

export const settlePayment = createRoute({
  method: "post",
  path: "/simulations/payments/{id}/settle",
  tags: ["Simulations"],
  summary: "Settle a pending payment now",
  middleware: [requireUser] as const,
  security: [{ bearerAuth: [] }],
  request: { params: IdParams, headers: IdempotencyHeaders },
  responses: {
    200: jsonResponse(PaymentSchema, "The settled payment"),
    400: problems[400],
    401: problems[401],
    404: problems[404],
    409: problems[409],
    503: problems[503],
  },
});
export type SettlePaymentRoute = typeof settlePayment;

export const returnPayment = createRoute({
  method: "post",
  path: "/simulations/payments/{id}/return",
  tags: ["Simulations"],
  summary: "Return a pending payment, or a settled outbound one, now, with a reason",
  description: "An outbound payment's money is credited back (payment_return) in the same step. " +
    "A settled outbound payment may be returned up to PAYMENT_RETURN_WINDOW_DAYS (60) after it " +
    "settled, on the sandbox clock; after that the answer is 409 return_window_closed. Any other " +
    "payment that is not pending is 409 payment_not_pending.",
  middleware: [requireUser] as const,
  security: [{ bearerAuth: [] }],
  request: { params: IdParams, headers: IdempotencyHeaders, body: jsonBody(ReturnPaymentSchema) },
  responses: {
    200: jsonResponse(PaymentSchema, "The returned payment"),
    400: problems[400],
    401: problems[401],
    404: problems[404],
    409: problems[409],
    503: problems[503],
  },
});
export type ReturnPaymentRoute = typeof returnPayment;

export const getClock = createRoute({
  method: "get",
  path: "/simulations/clock",
  tags: ["Simulations"],
  summary: "Your sandbox clock",
  description: "Its id (share it so other users can join), its reading, and how many users are " +
    "on it. Every deadline of yours reads this clock.",
  middleware: [requireUser] as const,
  security: [{ bearerAuth: [] }],
  responses: {
    200: jsonResponse(ClockSchema, "The clock"),
    401: problems[401],
  },
});
export type GetClockRoute = typeof getClock;

export const advanceClock = createRoute({
  method: "post",
  path: "/simulations/clock/advance",
  tags: ["Simulations"],
  summary: "Move your sandbox clock forward, for every user on it",
  description: "By `seconds` or `to` an RFC 3339 instant (exactly one). Every member's clock " +
    "moves together; everything of theirs that falls due (settlements, returns, hold expiries) " +
    "is processed in time order before the answer, and webhook retries that fall due go on the " +
    "delivery worker's next pass.",
  middleware: [requireUser] as const,
  security: [{ bearerAuth: [] }],
  request: { body: jsonBody(AdvanceClockSchema) },
  responses: {
    200: jsonResponse(ClockSchema, "The clock after the advance"),
    400: problems[400],
    401: problems[401],
    503: problems[503],
  },
});
export type AdvanceClockRoute = typeof advanceClock;

export const joinClock = createRoute({
  method: "post",
  path: "/simulations/clock/join",
  tags: ["Simulations"],
  summary: "Join another user's sandbox clock",
  description: "You take that clock's time and move with it from now on, so movements between " +
    "you and its members share one business time. A clock reading earlier than yours is a 409 " +
    "`clock_behind` (a clock never goes back); joining your own clock changes nothing. What " +
    "falls due for you by the move forward is processed before the answer.",
  middleware: [requireUser] as const,
  security: [{ bearerAuth: [] }],
  request: { body: jsonBody(JoinClockSchema) },
  responses: {
    200: jsonResponse(ClockSchema, "The clock you are now on"),
    400: problems[400],
    401: problems[401],
    404: problems[404],
    409: problems[409],
    503: problems[503],
  },
});
export type JoinClockRoute = typeof joinClock;

export const leaveClock = createRoute({
  method: "post",
  path: "/simulations/clock/leave",
  tags: ["Simulations"],
  summary: "Leave a shared clock for one of your own",
  description:
    "A new clock id, reading the same time as the clock you left; the others stay on it.",
  middleware: [requireUser] as const,
  security: [{ bearerAuth: [] }],
  responses: {
    200: jsonResponse(ClockSchema, "Your new clock"),
    401: problems[401],
    503: problems[503],
  },
});
export type LeaveClockRoute = typeof leaveClock;

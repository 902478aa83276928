/** The routes of cards and of the card network's simulations (authorizations, refunds). */
import { createRoute } from "@hono/zod-openapi";
import { requireUser } from "../auth/require_user.ts";
import { TransactionSchema } from "../transactions/schemas.ts";
import { IdempotencyHeaders, IdParams, jsonBody, jsonResponse, problems } from "../schemas.ts";
import {
  AuthorizationPageSchema,
  AuthorizationQuery,
  AuthorizationSchema,
  AuthorizeSchema,
  CaptureSchema,
  CardPageSchema,
  CardQuery,
  CardSchema,
  IncrementSchema,
  IssueCardSchema,
  RefundSchema,
  ReverseSchema,
} from "./schemas.ts";

const read = { 400: problems[400], 401: problems[401], 404: problems[404] };
const step = { ...read, 409: problems[409], 422: problems[422], 503: problems[503] };

export const issue = createRoute({
  method: "post",
  path: "/accounts/{id}/cards",
  tags: ["Cards"],
  summary: "Issue a card on your account",
  description: "The answer, like every other, carries only the card's last four digits.",
  middleware: [requireUser] as const,
  security: [{ bearerAuth: [] }],
  request: {
    params: IdParams,
    headers: IdempotencyHeaders,
    body: { ...jsonBody(IssueCardSchema), required: false },
  },
  responses: { 201: jsonResponse(CardSchema, "The active card"), ...step },
});
export type IssueRoute = typeof issue;

export const list = createRoute({
  method: "get",
  path: "/cards",
  tags: ["Cards"],
  summary: "Your cards, newest first",
  middleware: [requireUser] as const,
  security: [{ bearerAuth: [] }],
  request: { query: CardQuery },
  responses: { 200: jsonResponse(CardPageSchema, "A page of cards"), ...read },
});
export type ListRoute = typeof list;

export const getOne = createRoute({
  method: "get",
  path: "/cards/{id}",
  tags: ["Cards"],
  summary: "One of your cards",
  middleware: [requireUser] as const,
  security: [{ bearerAuth: [] }],
  request: { params: IdParams },
  responses: { 200: jsonResponse(CardSchema, "The card"), ...read },
});
export type GetOneRoute = typeof getOne;

function cardAction(action: "freeze" | "unfreeze" | "cancel", summary: string) {
  return createRoute({
    method: "post",
    path: `/cards/{id}/${action}`,
    tags: ["Cards"],
    summary,
    description: "Freezing a frozen card or unfreezing an active one answers the card as it is; " +
      "a cancelled card stays cancelled (409 card_cancelled).",
    middleware: [requireUser] as const,
    security: [{ bearerAuth: [] }],
    request: { params: IdParams, headers: IdempotencyHeaders },
    responses: { 200: jsonResponse(CardSchema, "The card"), ...step },
  });
}
export const freeze = cardAction("freeze", "Freeze a card: its authorizations decline");
export const unfreeze = cardAction("unfreeze", "Unfreeze a frozen card");
export const cancel = cardAction("cancel", "Cancel a card for good");
export type CardActionRoute = typeof freeze;

export const authorize = createRoute({
  method: "post",
  path: "/simulations/card_authorizations",
  tags: ["Simulations", "Cards"],
  summary: "Simulate a merchant's authorization on your card",
  description: "Approved: a pending authorization and its hold (source card). Declined (the " +
    "card not active, the account frozen, a fraud rule, the available balance, or " +
    "simulate_decline): still 201, status declined, with a rejected card_authorization row.",
  middleware: [requireUser] as const,
  security: [{ bearerAuth: [] }],
  request: { headers: IdempotencyHeaders, body: jsonBody(AuthorizeSchema) },
  responses: { 201: jsonResponse(AuthorizationSchema, "The authorization"), ...step },
});
export type AuthorizeRoute = typeof authorize;

export const listAuthorizations = createRoute({
  method: "get",
  path: "/card_authorizations",
  tags: ["Cards"],
  summary: "Your card authorizations, newest first",
  middleware: [requireUser] as const,
  security: [{ bearerAuth: [] }],
  request: { query: AuthorizationQuery },
  responses: { 200: jsonResponse(AuthorizationPageSchema, "A page of authorizations"), ...read },
});
export type ListAuthorizationsRoute = typeof listAuthorizations;

export const getAuthorization = createRoute({
  method: "get",
  path: "/card_authorizations/{id}",
  tags: ["Cards"],
  summary: "One of your card authorizations",
  middleware: [requireUser] as const,
  security: [{ bearerAuth: [] }],
  request: { params: IdParams },
  responses: { 200: jsonResponse(AuthorizationSchema, "The authorization"), ...read },
});
export type GetAuthorizationRoute = typeof getAuthorization;

export const increment = createRoute({
  method: "post",
  path: "/simulations/card_authorizations/{id}/increment",
  tags: ["Simulations", "Cards"],
  summary: "Raise a pending authorization",
  description: "Screened and funded as a new authorization; refused, a recorded 422.",
  middleware: [requireUser] as const,
  security: [{ bearerAuth: [] }],
  request: { params: IdParams, headers: IdempotencyHeaders, body: jsonBody(IncrementSchema) },
  responses: { 200: jsonResponse(AuthorizationSchema, "The raised authorization"), ...step },
});
export type IncrementRoute = typeof increment;

export const capture = createRoute({
  method: "post",
  path: "/simulations/card_authorizations/{id}/capture",
  tags: ["Simulations", "Cards"],
  summary: "Capture part or all of a pending authorization",
  description: "A card_capture transaction. A final capture, or one reaching the authorized " +
    "amount, closes it and releases the rest. Up to 20 % past the amount for MCC 5812, 5814 " +
    "and 4121; otherwise 422 capture_exceeds_authorization. Not pending: 409.",
  middleware: [requireUser] as const,
  security: [{ bearerAuth: [] }],
  request: { params: IdParams, headers: IdempotencyHeaders, body: jsonBody(CaptureSchema) },
  responses: { 200: jsonResponse(AuthorizationSchema, "The authorization"), ...step },
});
export type CaptureRoute = typeof capture;

export const reverse = createRoute({
  method: "post",
  path: "/simulations/card_authorizations/{id}/reverse",
  tags: ["Simulations", "Cards"],
  summary: "Reverse part or all of a pending authorization",
  description: "All of it (the default) releases its hold: reversed, or closed if captured " +
    "before. More than it reserves is a 409 reversal_exceeds_authorization.",
  middleware: [requireUser] as const,
  security: [{ bearerAuth: [] }],
  request: {
    params: IdParams,
    headers: IdempotencyHeaders,
    body: { ...jsonBody(ReverseSchema), required: false },
  },
  responses: { 200: jsonResponse(AuthorizationSchema, "The authorization"), ...step },
});
export type ReverseRoute = typeof reverse;

export const refund = createRoute({
  method: "post",
  path: "/simulations/card_refunds",
  tags: ["Simulations", "Cards"],
  summary: "Simulate a merchant's refund of a captured authorization",
  description: "A card_refund transaction into the card's account; more than was captured " +
    "(less earlier refunds) is a recorded 422 refund_exceeds_capture.",
  middleware: [requireUser] as const,
  security: [{ bearerAuth: [] }],
  request: { headers: IdempotencyHeaders, body: jsonBody(RefundSchema) },
  responses: { 201: jsonResponse(TransactionSchema, "The card_refund transaction"), ...step },
});
export type RefundRoute = typeof refund;

/** The routes of holds. */
import { createRoute } from "@hono/zod-openapi";
import { requireUser } from "../auth/require_user.ts";
import { IdempotencyHeaders, IdParams, jsonBody, jsonResponse, problems } from "../schemas.ts";
import {
  CaptureHoldSchema,
  HoldPageSchema,
  HoldQuery,
  HoldSchema,
  PlaceHoldSchema,
} from "./schemas.ts";

export const place = createRoute({
  method: "post",
  path: "/accounts/{id}/holds",
  tags: ["Holds"],
  summary: "Reserve money on your account",
  middleware: [requireUser] as const,
  security: [{ bearerAuth: [] }],
  request: { params: IdParams, headers: IdempotencyHeaders, body: jsonBody(PlaceHoldSchema) },
  responses: {
    201: jsonResponse(HoldSchema, "The active hold"),
    400: problems[400],
    401: problems[401],
    404: problems[404],
    409: problems[409],
    422: problems[422],
    503: problems[503],
  },
});
export type PlaceRoute = typeof place;

export const list = createRoute({
  method: "get",
  path: "/holds",
  tags: ["Holds"],
  summary: "Your holds, newest first",
  middleware: [requireUser] as const,
  security: [{ bearerAuth: [] }],
  request: { query: HoldQuery },
  responses: {
    200: jsonResponse(HoldPageSchema, "A page of holds"),
    400: problems[400],
    401: problems[401],
  },
});
export type ListRoute = typeof list;

export const getOne = createRoute({
  method: "get",
  path: "/holds/{id}",
  tags: ["Holds"],
  summary: "One of your holds",
  middleware: [requireUser] as const,
  security: [{ bearerAuth: [] }],
  request: { params: IdParams },
  responses: {
    200: jsonResponse(HoldSchema, "The hold"),
    400: problems[400],
    401: problems[401],
    404: problems[404],
  },
});
export type GetOneRoute = typeof getOne;

export const capture = createRoute({
  method: "post",
  path: "/holds/{id}/capture",
  tags: ["Holds"],
  summary: "Capture all or part of an active hold",
  description: "Moves the amount as a hold_capture transaction and releases the rest.",
  middleware: [requireUser] as const,
  security: [{ bearerAuth: [] }],
  request: {
    params: IdParams,
    headers: IdempotencyHeaders,
    body: { ...jsonBody(CaptureHoldSchema), required: false },
  },
  responses: {
    200: jsonResponse(HoldSchema, "The captured hold"),
    400: problems[400],
    401: problems[401],
    404: problems[404],
    409: problems[409],
    422: problems[422],
    503: problems[503],
  },
});
export type CaptureRoute = typeof capture;

export const voidHold = createRoute({
  method: "post",
  path: "/holds/{id}/void",
  tags: ["Holds"],
  summary: "Release an active hold",
  middleware: [requireUser] as const,
  security: [{ bearerAuth: [] }],
  request: { params: IdParams, headers: IdempotencyHeaders },
  responses: {
    200: jsonResponse(HoldSchema, "The voided hold"),
    400: problems[400],
    401: problems[401],
    404: problems[404],
    409: problems[409],
    503: problems[503],
  },
});
export type VoidRoute = typeof voidHold;

/** Holds on the wire. */
import { z } from "@hono/zod-openapi";
import {
  HOLD_EXPIRES_IN_SECONDS_DEFAULT,
  HOLD_EXPIRES_IN_SECONDS_MAX,
  HOLD_SOURCES,
  HOLD_STATUSES,
  holdJson,
} from "../../domain/holds.ts";
import { AmountSchema, DescriptionSchema, pageOf, PageQuery } from "../schemas.ts";

/** A card-style hold on an account. */
export const HoldSchema = z.object({
  id: z.uuid(),
  account_id: z.uuid(),
  amount: z.string().openapi({ example: "120.00" }),
  captured_amount: z.string().openapi({ example: "0.00" }),
  currency: z.string().openapi({ example: "ZAR" }),
  status: z.enum(HOLD_STATUSES),
  source: z.enum(HOLD_SOURCES).openapi({
    description: "api: placed through /holds; card: a card authorization's (managed through it).",
  }),
  description: z.string().nullable(),
  capture_transaction_id: z.uuid().nullable().openapi({
    description: "The hold_capture transaction, once captured.",
  }),
  expires_at: z.string(),
  created_at: z.string(),
}).openapi("Hold");

/** A page of holds, newest first. */
export const HoldPageSchema = pageOf(HoldSchema, "HoldPage");

/** Placing a hold. */
export const PlaceHoldSchema = z.strictObject({
  amount: AmountSchema,
  description: DescriptionSchema,
  expires_in_seconds: z.number().int().min(1).max(HOLD_EXPIRES_IN_SECONDS_MAX)
    .default(HOLD_EXPIRES_IN_SECONDS_DEFAULT).openapi({ example: 604800 }),
}).openapi("PlaceHold");

/** Capturing a hold, in full by default. */
export const CaptureHoldSchema = z.strictObject({
  amount: AmountSchema.optional(),
}).openapi("CaptureHold");

/** Filters of the hold list. */
export const HoldQuery = PageQuery.extend({
  account_id: z.uuid().optional(),
  status: z.enum(HOLD_STATUSES).optional(),
});

/** A hold as JSON. */
export const toHoldJson = holdJson;

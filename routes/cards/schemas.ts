/** Cards and card authorizations on the wire. */
import { z } from "@hono/zod-openapi";
import { AUTHORIZATION_STATUSES, authorizationJson } from "../../domain/card_authorizations.ts";
import { CARD_STATUSES, cardJson, NAME_ON_CARD_CHARS_MAX } from "../../domain/cards.ts";
import { AmountSchema, pageOf, PageQuery, text, uuid } from "../schemas.ts";

/** A card: never more of its number than the last four digits. */
export const CardSchema = z.object({
  id: z.uuid(),
  account_id: z.uuid(),
  last4: z.string().openapi({ example: "4242" }),
  exp_month: z.number().int().openapi({ example: 12 }),
  exp_year: z.number().int().openapi({ example: 2029 }),
  name_on_card: z.string().nullable().openapi({ example: "A CUSTOMER" }),
  status: z.enum(CARD_STATUSES),
  created_at: z.string(),
}).openapi("Card");

/** A page of cards, newest first. */
export const CardPageSchema = pageOf(CardSchema, "CardPage");

/** Issuing a card. */
export const IssueCardSchema = z.strictObject({
  name_on_card: text().min(1).max(NAME_ON_CARD_CHARS_MAX).nullish(),
}).openapi("IssueCard");

/** The merchant of an authorization. */
export const MerchantSchema = z.strictObject({
  name: text().min(1).max(100).openapi({ example: "Corner Cafe" }),
  mcc: z.string().regex(/^[0-9]{4}$/, "must be a 4-digit merchant category code").openapi({
    description: "Merchant category code (ISO 18245): 5812, 5814 and 4121 allow 20 % tips.",
    example: "5812",
  }),
  country: z.string().regex(/^[A-Z]{2}$/, "must be an ISO 3166-1 alpha-2 code").nullish()
    .openapi({ example: "ZA" }),
}).openapi("Merchant");

/** A card authorization. */
export const AuthorizationSchema = z.object({
  id: z.uuid(),
  card_id: z.uuid(),
  account_id: z.uuid(),
  hold_id: z.uuid().nullable().openapi({
    description: "Its hold (source card); null if declined.",
  }),
  amount: z.string().openapi({ example: "120.00" }),
  captured_amount: z.string().openapi({ example: "0.00" }),
  refunded_amount: z.string().openapi({ example: "0.00" }),
  currency: z.string().openapi({ example: "ZAR" }),
  merchant: z.object({
    name: z.string(),
    mcc: z.string(),
    country: z.string().nullable(),
  }),
  status: z.enum(AUTHORIZATION_STATUSES),
  decline_reason: z.string().nullable().openapi({ example: null }),
  transaction_id: z.uuid().nullable().openapi({
    description: "The rejected card_authorization row of a decline, or the latest card_capture.",
  }),
  created_at: z.string(),
  expires_at: z.string().nullable(),
}).openapi("CardAuthorization");

/** A page of authorizations, newest first. */
export const AuthorizationPageSchema = pageOf(AuthorizationSchema, "CardAuthorizationPage");

/** A simulated authorization. */
export const AuthorizeSchema = z.strictObject({
  card_id: uuid(),
  amount: AmountSchema,
  merchant: MerchantSchema,
  simulate_decline: z.string().regex(/^[a-z][a-z_]{0,63}$/, "must be a reason code").nullish()
    .openapi({
      description: "Declines with this reason: insufficient_funds, card_inactive, " +
        "fraud_rejected, account_frozen, or any other snake_case code.",
      example: "insufficient_funds",
    }),
}).openapi("SimulateCardAuthorization");

/** Raising an authorization. */
export const IncrementSchema = z.strictObject({ amount: AmountSchema }).openapi(
  "IncrementCardAuthorization",
);

/** Capturing part or all of an authorization. */
export const CaptureSchema = z.strictObject({
  amount: AmountSchema,
  final: z.boolean().default(false).openapi({
    description: "Closes the authorization and releases what is left.",
  }),
}).openapi("CaptureCardAuthorization");

/** Reversing part or all of an authorization. */
export const ReverseSchema = z.strictObject({ amount: AmountSchema.optional() }).openapi(
  "ReverseCardAuthorization",
);

/** A simulated refund. */
export const RefundSchema = z.strictObject({
  authorization_id: uuid(),
  amount: AmountSchema,
}).openapi("SimulateCardRefund");

/** Filters of the authorization list. */
export const AuthorizationQuery = PageQuery.extend({
  card_id: z.uuid().optional(),
  status: z.enum(AUTHORIZATION_STATUSES).optional(),
});

/** The card list's query: paging only. */
export const CardQuery = PageQuery;

/** A card as JSON. */
export const toCardJson = cardJson;
/** An authorization as JSON. */
export const toAuthorizationJson = authorizationJson;
